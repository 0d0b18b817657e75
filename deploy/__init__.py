"""The deployment: the Caddyfile, the replica entry point and the process launcher (README, "Deployment")."""
