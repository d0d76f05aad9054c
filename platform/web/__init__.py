"""The web shell: layout, error pages, security headers, languages, and the pages that belong to no feature."""
