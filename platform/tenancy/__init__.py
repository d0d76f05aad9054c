"""Tenants (partner municipalities), the projects that join them, and the one place that keeps their data apart."""
