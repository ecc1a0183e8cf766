"""graphene-django's ``graphql_schema``, always in English.

Descriptions that come from model help texts are translatable; the committed contract must not
depend on the language the command happens to run in.
"""

from django.utils import translation
from graphene_django.management.commands.graphql_schema import Command as GrapheneCommand


class Command(GrapheneCommand):
    def handle(self, *args, **options):
        with translation.override("en"):
            super().handle(*args, **options)
