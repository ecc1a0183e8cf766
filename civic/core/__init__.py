"""The platform's foundation: what every app builds on, importing nothing of ours.

Errors with stable codes, the permission basics, the zh/en name pair, input text checks, the
image metadata cleaner, and the small database and signal helpers the services share.
``docs/architecture.md`` lists the layers above it.
"""
