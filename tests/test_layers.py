"""The layer contract in pyproject.toml holds on the code, and it would catch a violation.

``.ci/run`` runs ``lint-imports`` too; this test shows, on the real import graph with one import
added, that each kind of violation (a lower layer importing a higher one, an app reaching into
another app's interface modules) breaks a contract.
"""

import copy
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application import use_cases
from importlinter.domain.contract import registry

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def contracts():
    configuration.configure()
    use_cases._register_built_in_contract_types()
    options = use_cases.read_user_options(str(ROOT / "pyproject.toml"))
    return [
        registry.get_contract_class(contract["type"])(
            name=contract["name"],
            session_options=options.session_options,
            contract_options=contract,
        )
        for contract in options.contracts_options
    ]


@pytest.fixture(scope="module")
def graph(contracts):
    roots = contracts[0].session_options["root_packages"]
    return grimp.build_graph(*roots, cache_dir=None)


def broken(contracts, graph, *extra_imports):
    """The names of the contracts broken once ``extra_imports`` are added to the graph."""
    graph = copy.deepcopy(graph)
    for importer, imported in extra_imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return {
        contract.name
        for contract in contracts
        if not contract.check(copy.deepcopy(graph), verbose=False).kept
    }


def test_the_code_keeps_every_contract(contracts, graph):
    assert broken(contracts, graph) == set()


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("civic.core.errors", "civic.accounts.models"),
        ("civic.areas.models", "civic.departments.models"),
        ("reports.services", "forums.services"),
        ("forums.services", "rewards.services"),
        ("rewards.services", "civic.notifications.services"),
        ("civic.portal.services", "civic.api.schema"),
        ("reports.services", "civic.demo.reports"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_breaks_the_layers(
    contracts, graph, importer, imported
):
    assert any(name.startswith("Layers") for name in broken(contracts, graph, (importer, imported)))


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("forums.services", "reports.views", "reports"),
        ("civic.portal.services", "forums.admin_views", "forums"),
        ("rewards.receivers", "reports.schema.mutations", "reports"),
    ],
)
def test_reaching_into_another_apps_interfaces_breaks_its_contract(
    contracts, graph, importer, imported, contract
):
    assert f"Other apps use {contract} through its public face" in broken(
        contracts, graph, (importer, imported)
    )


def test_the_demo_builds_through_the_apps_public_faces_only(contracts, graph):
    assert "The demo uses every app through its public face" in broken(
        contracts, graph, ("civic.demo.reports", "reports.admin_views")
    )


def test_a_receiver_may_hear_a_higher_layers_events(contracts, graph):
    assert broken(contracts, graph, ("forums.receivers", "civic.portal.events")) == broken(
        contracts, graph
    )
