import pytest
from django.core.exceptions import ImproperlyConfigured

from civic.core.tiles import tile_provider, tile_settings


def test_without_settings_there_are_no_tiles(settings):
    settings.MAP_TILE_PRESET = ""
    settings.MAP_TILE_URL = ""
    assert tile_provider() is None
    assert tile_settings()["url"] == ""


def test_the_tianditu_preset_takes_the_key_and_draws_its_names_over_wgs84_tiles(settings):
    settings.MAP_TILE_PRESET = "tianditu"
    settings.MAP_TILE_KEY = "abc123"
    provider = tile_provider()
    assert provider.datum == "wgs84"
    assert "tianditu.gov.cn/vec_w/" in provider.url
    assert provider.url.endswith("tk=abc123")
    assert "tianditu.gov.cn/cva_w/" in provider.labels_url
    assert provider.labels_url.endswith("tk=abc123")
    assert provider.subdomains == "01234567"


def test_the_amap_preset_is_in_gcj02(settings):
    settings.MAP_TILE_PRESET = "amap"
    assert tile_provider().datum == "gcj02"
    assert "autonavi.com" in tile_provider().url


def test_explicit_settings_override_the_preset(settings):
    settings.MAP_TILE_PRESET = "osm"
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_DATUM = "bd09"
    provider = tile_provider()
    assert provider.url == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert provider.datum == "bd09"
    assert provider.attribution == "© OpenStreetMap contributors"


@pytest.mark.parametrize(
    ("name", "value"), [("MAP_TILE_PRESET", "google"), ("MAP_TILE_DATUM", "mars")]
)
def test_unknown_presets_and_datums_are_configuration_errors(settings, name, value):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured):
        tile_provider()
