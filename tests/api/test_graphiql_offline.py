"""GraphiQL (in development) loads its libraries from our static files, so it works offline."""

import pytest

pytestmark = pytest.mark.django_db


def test_graphiql_names_no_outside_server(client, settings):
    settings.DEBUG = True
    html = client.get("/graphql/", headers={"Accept": "text/html"}).content.decode()
    assert "api/graphiql/graphiql.min.js" in html
    assert "react.production.min.js" in html
    assert "https://" not in html
    assert "http://" not in html
