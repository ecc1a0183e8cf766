"""The demo city 清河市 (Qinghe City) that ``manage.py seed_demo`` loads: one module per app's
demo data, each built through that app's services (and models where the services have no
say), never its GraphQL, views or admin. The top layer: it may use every app, none uses it.

Order matters, as ``seed_demo`` runs them: areas, departments, accounts, reports, operations
(the figures, recounted from the reports), portal,
rewards, forums, notifications; each leaves alone what exists, so a second run creates
nothing."""
