"""People: users, their tenant memberships and roles, log-in, invitations, password reset and API tokens."""
