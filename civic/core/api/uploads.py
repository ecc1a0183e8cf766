"""Files in GraphQL requests, by the GraphQL multipart request spec
(github.com/jaydenseric/graphql-multipart-request-spec): a ``multipart/form-data`` POST with an
``operations`` field (the usual JSON body, files as nulls), a ``map`` field (``{"0":
["variables.input.photos.0"]}``) and the files themselves.

Written here rather than taken from graphene-file-upload: that package answers a malformed
``map`` with an uncaught exception (a 500), and we owe the app a clear 400.
"""

import json

import graphene
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseBadRequest
from graphene_django.views import HttpError
from graphql import GraphQLError


class Upload(graphene.Scalar):
    """A file sent in the multipart request; see frontend_schema/README.md."""

    @staticmethod
    def serialize(value):
        raise GraphQLError("Upload is an input type only.")

    @staticmethod
    def parse_literal(node, _variables=None):
        raise GraphQLError("Send files as variables of a multipart request.")

    @staticmethod
    def parse_value(value):
        if not isinstance(value, UploadedFile):
            raise GraphQLError("Expected a file from the multipart request's map.")
        return value


def _refuse(message):
    raise HttpError(HttpResponseBadRequest(message))


def _place(target, path, upload):
    """Put ``upload`` where ``path`` (``variables.input.photos.0``) points; it must be null."""
    *parents, last = path
    for step in parents:
        if isinstance(target, dict) and step in target:
            target = target[step]
        elif isinstance(target, list) and step.isdigit() and int(step) < len(target):
            target = target[int(step)]
        else:
            _refuse(f"The map path {'.'.join(path)} does not exist in the operations.")
    if isinstance(target, list) and last.isdigit() and int(last) < len(target):
        key = int(last)
    elif isinstance(target, dict) and last in target:
        key = last
    else:
        _refuse(f"The map path {'.'.join(path)} does not exist in the operations.")
    if target[key] is not None:
        _refuse(f"The map path {'.'.join(path)} must point at a null in the operations.")
    target[key] = upload


def operations_with_files(post, files):
    """The request's operations with each mapped file in its place, or a 400."""
    try:
        operations = json.loads(post.get("operations", ""))
        file_map = json.loads(post.get("map", "{}"))
    except ValueError:
        _refuse("The multipart fields 'operations' and 'map' must be JSON.")
    if not isinstance(operations, dict) or not isinstance(file_map, dict):
        _refuse("'operations' must be a JSON object and 'map' a JSON object of lists.")
    for name, paths in file_map.items():
        if name not in files:
            _refuse(f"The map names a file '{name}' that was not sent.")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            _refuse("Each entry of 'map' must be a list of paths.")
        for path in paths:
            _place(operations, path.split("."), files[name])
    return operations
