"""Authentication: hashed secrets, JWT access tokens, API clients, /auth/token, token checks."""
