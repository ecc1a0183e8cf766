"""The GraphQL building blocks every app's ``schema`` package uses: global ids, enums, the
mutation base with its error payload, cursor pagination, selection look-ahead and uploads.
The schema itself is assembled above every app, in ``civic.api``."""
