"""The platform admin's pages (`/admin`): tenants and users, through the same services as the `bibnet` command."""
