"""StreamField blocks of case studies: the body (text, images, before/after pairs) and the
outcome's figures. The GraphQL API exposes each with a type of its own (``schema.py``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "portal/blocks/image.html"


class BeforeAfterBlock(blocks.StructBlock):
    before = ImageChooserBlock(label=_("before"))
    after = ImageChooserBlock(label=_("after"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Before and after")
        template = "portal/blocks/before_after.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    image = ImageBlock()
    before_after = BeforeAfterBlock()


class DurationUnit:
    CHOICES = [("days", _("days")), ("weeks", _("weeks")), ("months", _("months"))]


class CostBlock(blocks.StructBlock):
    amount = blocks.DecimalBlock(label=_("amount"), min_value=0, decimal_places=2)
    currency = blocks.CharBlock(label=_("currency"), max_length=8, default="CNY")
    note = blocks.CharBlock(label=_("note"), required=False, max_length=255)

    class Meta:
        icon = "tag"
        label = _("Cost")
        template = "portal/blocks/cost.html"


class DurationBlock(blocks.StructBlock):
    value = blocks.IntegerBlock(label=_("how long"), min_value=0)
    unit = blocks.ChoiceBlock(label=_("unit"), choices=DurationUnit.CHOICES, default="weeks")
    note = blocks.CharBlock(label=_("note"), required=False, max_length=255)

    class Meta:
        icon = "time"
        label = _("Time taken")
        template = "portal/blocks/duration.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["unit_label"] = dict(DurationUnit.CHOICES).get(value["unit"], value["unit"])
        return context


class PeopleReachedBlock(blocks.StructBlock):
    count = blocks.IntegerBlock(label=_("people"), min_value=0)
    note = blocks.CharBlock(label=_("note"), required=False, max_length=255)

    class Meta:
        icon = "group"
        label = _("People reached")
        template = "portal/blocks/people_reached.html"


class MeasureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("what was measured"), max_length=120)
    before = blocks.DecimalBlock(label=_("before"))
    after = blocks.DecimalBlock(label=_("after"))
    unit = blocks.CharBlock(label=_("unit"), required=False, max_length=32)

    class Meta:
        icon = "pick"
        label = _("Before and after measure")
        template = "portal/blocks/measure.html"


class FigureBlock(blocks.StreamBlock):
    cost = CostBlock()
    duration = DurationBlock()
    people_reached = PeopleReachedBlock()
    measure = MeasureBlock()
