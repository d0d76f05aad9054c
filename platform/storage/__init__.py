"""Files: one interface, two backends (local files, S3), keys that carry the tenant, served after a permission check."""
