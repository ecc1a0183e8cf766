"""Reports' configuration (categories with their questions, routing rules, response templates)
changes only through ``reports.services``: the admin's screens save through them, so the
platform-admin rule and the models' validation hold for every caller."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from civic.core.errors import Forbidden, ValidationFailed
from reports import services
from reports.models import Category, CategoryQuestion, ResponseTemplate, RoutingRule
from reports.wagtail_hooks import RoutingRuleForm

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


@pytest.fixture
def template():
    return ResponseTemplate.objects.create(title="Thanks", text="谢谢", for_action="resolved")


def template_form(**fields):
    return {"title": "Fixed", "text": "已处理。", "text_en": "Fixed.", "is_active": "on", **fields}


def logged(instance, action):
    return ModelLogEntry.objects.filter(object_id=str(instance.pk), action=action).exists()


def test_admins_create_edit_and_delete_a_routing_rule(world, signed_in):
    client = signed_in(world.admin)
    fields = {"category": world.pothole.pk, "area": world.areas["DE"].pk}
    add = reverse("routing_rule_admin:add")
    response = client.post(add, {**fields, "department": world.parks.pk})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(category=world.pothole)
    assert (rule.department, logged(rule, "wagtail.create")) == (world.parks, True)

    edit = reverse("routing_rule_admin:edit", args=[rule.pk])
    response = client.post(edit, {**fields, "department": world.roads.pk})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.department == world.roads

    response = client.post(reverse("routing_rule_admin:delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert logged(rule, "wagtail.delete")


def test_admins_create_edit_copy_and_delete_a_response_template(world, signed_in):
    client = signed_in(world.admin)
    response = client.post(
        reverse("response_template_admin:add"), template_form(categories=[world.pothole.pk])
    )
    assert response.status_code == 302
    fixed = ResponseTemplate.objects.get(title="Fixed")
    assert list(fixed.categories.all()) == [world.pothole]

    response = client.post(
        reverse("response_template_admin:edit", args=[fixed.pk]),
        template_form(title="Fixed, thanks", for_action="resolved"),
    )
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert (fixed.title, fixed.for_action) == ("Fixed, thanks", "resolved")
    assert not fixed.categories.exists()

    response = client.post(
        reverse("response_template_admin:copy", args=[fixed.pk]), template_form(title="Copy")
    )
    assert response.status_code == 302
    assert ResponseTemplate.objects.filter(title="Copy").exists()

    response = client.post(reverse("response_template_admin:delete", args=[fixed.pk]))
    assert response.status_code == 302
    assert not ResponseTemplate.objects.filter(pk=fixed.pk).exists()


def test_staff_who_may_look_are_refused_changes_and_nothing_changes(world, signed_in, template):
    # The admin answers a refusal by sending the user home with a message.
    client = signed_in(world.dispatcher)
    assert client.get(reverse("response_template_admin:index")).status_code == 200
    for url, data in (
        (reverse("response_template_admin:add"), template_form()),
        (reverse("response_template_admin:edit", args=[template.pk]), template_form()),
        (reverse("response_template_admin:delete", args=[template.pk]), {}),
        (reverse("routing_rule_admin:add"), {"category": world.pothole.pk}),
        (reverse("report_category_admin:delete", args=[world.graffiti.pk]), {}),
    ):
        response = client.post(url, data)
        assert (response.status_code, response.url) == (302, HOME), url
    assert list(ResponseTemplate.objects.values_list("title", flat=True)) == ["Thanks"]
    assert RoutingRule.objects.count() == 1
    assert Category.objects.filter(pk=world.graffiti.pk).exists()


def test_a_refusal_by_the_service_is_a_form_error(world, signed_in, monkeypatch):
    """Another admin saves the same rule after the form checked it: the service's own check
    refuses it, and the admin sees the form again with the error."""
    form_check = RoutingRuleForm._post_clean

    def checked_then_clashing(form):
        form_check(form)
        RoutingRule.objects.create(
            category=world.pothole, area=world.areas["DE"], department=world.roads
        )

    monkeypatch.setattr(RoutingRuleForm, "_post_clean", checked_then_clashing)
    client = signed_in(world.admin)
    response = client.post(
        reverse("routing_rule_admin:add"),
        {"category": world.pothole.pk, "area": world.areas["DE"].pk, "department": world.parks.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert list(RoutingRule.objects.filter(category=world.pothole)) == [
        RoutingRule.objects.get(department=world.roads, category=world.pothole)
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda w, actor: services.create_routing_rule(
            actor, category=w.pothole, area=w.areas["DE"], department=w.parks
        ),
        lambda w, actor: services.delete_routing_rule(actor, RoutingRule.objects.get()),
        lambda w, actor: services.create_response_template(actor, title="Hi", text="你好"),
        lambda w, actor: services.save_category(actor, Category(service_code="x", name="x")),
        lambda w, actor: services.delete_category(actor, w.graffiti),
    ],
)
def test_the_services_refuse_anyone_but_platform_admins(world, change):
    for actor in (world.dispatcher, world.supervisor, world.resident):
        with pytest.raises(Forbidden):
            change(world, actor)
    assert RoutingRule.objects.count() == 1
    assert not ResponseTemplate.objects.exists()
    assert Category.objects.count() == 5


def test_the_template_services_change_and_delete_for_an_admin(world, template):
    services.update_response_template(
        world.admin,
        template,
        title="Thanks!",
        text="谢谢！",
        text_en="",
        for_action="",
        categories=[world.noise],
        is_active=False,
    )
    template.refresh_from_db()
    assert (template.title, template.is_active) == ("Thanks!", False)
    assert list(template.categories.all()) == [world.noise]
    with pytest.raises(Forbidden):
        services.delete_response_template(world.dispatcher, template)
    services.delete_response_template(world.admin, template)
    assert not ResponseTemplate.objects.exists()


def test_the_services_validate_what_they_save(world):
    with pytest.raises(ValidationFailed) as refused:
        services.create_routing_rule(
            world.admin, category=world.fallen_tree, area=world.areas["DE"], department=world.roads
        )
    assert refused.value.code == "unique_together"  # the category has a rule for the area
    with pytest.raises(ValidationFailed) as refused:
        services.create_response_template(world.admin, title="", text="x")
    assert refused.value.field == "title"


def test_a_category_is_saved_with_its_questions(world):
    light = Category(service_code="streetlight", name="路灯故障")
    light.questions = [CategoryQuestion(code="pole", label="灯杆编号")]
    services.save_category(world.admin, light)
    assert [q.code for q in Category.objects.get(service_code="streetlight").questions.all()] == [
        "pole"
    ]

    pothole = world.pothole
    size = pothole.questions.get(code="size")
    pothole.questions = [size, CategoryQuestion(code="lane", label="车道")]
    pothole.resolve_sla_hours = 48
    services.save_category(world.admin, pothole)
    pothole = Category.objects.get(pk=pothole.pk)
    assert pothole.resolve_sla_hours == 48
    assert sorted(pothole.questions.values_list("code", flat=True)) == ["lane", "size"]


@pytest.mark.parametrize(
    "questions",
    [
        [CategoryQuestion(code="a", label="A"), CategoryQuestion(code="a", label="B")],
        [CategoryQuestion(code="colour", label="颜色", datatype="singlevaluelist")],
    ],
    ids=["codes repeated", "a list without options"],
)
def test_a_category_with_invalid_questions_is_refused_and_nothing_saved(world, questions):
    graffiti = world.graffiti
    graffiti.questions = questions
    graffiti.name = "changed"
    with pytest.raises(ValidationFailed):
        services.save_category(world.admin, graffiti)
    assert not CategoryQuestion.objects.filter(category_id=graffiti.pk).exists()
    assert Category.objects.get(pk=graffiti.pk).name == "涂鸦"


def test_a_category_with_reports_is_refused_deletion_by_the_service(world, submit):
    submit()
    with pytest.raises(services.CategoryInUse):
        services.delete_category(world.admin, world.pothole)
    services.delete_category(world.admin, world.graffiti)
    assert not Category.objects.filter(pk=world.graffiti.pk).exists()
