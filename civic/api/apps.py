from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civic.api"
    label = "api"
    verbose_name = "GraphQL API"

    def ready(self):
        from . import receivers

        receivers.connect()
