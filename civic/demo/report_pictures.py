"""The reports demo's photos: small JPEGs of made-up scenes, sky, ground and the problem drawn
in simple shapes, before the work or after it."""

import io

from PIL import Image, ImageDraw


def picture(scene, rng, *, fixed=False):
    """A small JPEG of a made-up scene: sky, ground and the problem drawn in simple shapes
    (or the same place after the work when ``fixed``)."""
    width, height = 640, 480
    night = scene in ("light", "night")
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky_top = (20, 30, 70) if night else (110 + rng.randint(0, 30), 170, 230)
    sky_bottom = (60, 70, 120) if night else (200, 225, 245)
    horizon = 200 + rng.randint(-20, 20)
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    grass = scene in ("tree", "park")
    ground = (90, 150, 70) if grass else (95, 95, 100) if not night else (50, 50, 60)
    draw.rectangle([0, horizon, width, height], fill=ground)
    # Buildings on the horizon.
    x = 0
    while x < width:
        w, h = rng.randint(50, 110), rng.randint(40, 140)
        shade = rng.randint(140, 200) if not night else rng.randint(40, 70)
        draw.rectangle([x, horizon - h, x + w - 6, horizon], fill=(shade, shade - 10, shade - 20))
        for wy in range(horizon - h + 10, horizon - 10, 22):
            for wx in range(x + 8, x + w - 14, 18):
                lit = night and rng.random() < 0.5
                draw.rectangle(
                    [wx, wy, wx + 8, wy + 10], fill=(250, 220, 120) if lit else (90, 110, 140)
                )
        x += w
    if not grass:
        for lx in range(20, width, 90):  # lane markings
            draw.polygon(
                [(lx, 360), (lx + 50, 360), (lx + 46, 372), (lx - 4, 372)], fill=(235, 235, 225)
            )
    cx, cy = width // 2 + rng.randint(-80, 80), 330 + rng.randint(-30, 40)
    PROBLEMS[scene](draw, cx, cy, rng, fixed)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _road(draw, cx, cy, rng, fixed):
    if fixed:
        draw.rectangle([cx - 90, cy - 40, cx + 90, cy + 40], fill=(45, 45, 50))
    else:
        draw.ellipse([cx - 80, cy - 30, cx + 80, cy + 30], fill=(40, 35, 30))
        draw.ellipse([cx - 60, cy - 18, cx + 50, cy + 20], fill=(70, 90, 110))


def _rubbish(draw, cx, cy, rng, fixed):
    draw.rectangle([cx - 40, cy - 90, cx + 40, cy], fill=(30, 120, 60))
    if not fixed:
        for _i in range(14):
            x, y = cx + rng.randint(-140, 140), cy + rng.randint(-30, 50)
            r = rng.randint(12, 30)
            colour = rng.choice([(20, 20, 20), (230, 230, 230), (200, 60, 50), (60, 90, 200)])
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def _wall(draw, cx, cy, rng, fixed):
    draw.rectangle([60, cy - 170, 580, cy + 30], fill=(175, 90, 70))
    for by in range(cy - 170, cy + 30, 20):
        draw.line([(60, by), (580, by)], fill=(150, 150, 140), width=2)
    if not fixed:
        for _i in range(6):
            colour = rng.choice([(250, 50, 150), (40, 200, 250), (250, 230, 40), (20, 20, 20)])
            points = [(rng.randint(80, 560), rng.randint(cy - 160, cy + 20)) for _p in range(5)]
            draw.line(points, fill=colour, width=9)


def _light(draw, cx, cy, rng, fixed):
    draw.rectangle([cx - 6, cy - 260, cx + 6, cy + 40], fill=(70, 70, 80))
    draw.rectangle([cx - 6, cy - 260, cx + 70, cy - 250], fill=(70, 70, 80))
    lamp = (255, 240, 170) if fixed else (60, 60, 60)
    draw.ellipse([cx + 45, cy - 255, cx + 95, cy - 235], fill=lamp)
    if fixed:
        draw.polygon(
            [(cx + 50, cy - 240), (cx + 90, cy - 240), (cx + 150, cy + 40), (cx - 10, cy + 40)],
            fill=(120, 115, 95),
        )


def _tree(draw, cx, cy, rng, fixed):
    if fixed:
        draw.rectangle([cx - 10, cy - 20, cx + 10, cy + 10], fill=(110, 70, 40))
    else:
        draw.line([(cx - 150, cy + 30), (cx + 120, cy - 40)], fill=(110, 70, 40), width=26)
        for _i in range(8):
            x, y = cx + 120 + rng.randint(-60, 60), cy - 40 + rng.randint(-50, 50)
            draw.ellipse([x - 35, y - 35, x + 35, y + 35], fill=(40, 120 + rng.randint(0, 40), 50))


def _water(draw, cx, cy, rng, fixed):
    if not fixed:
        for _i in range(5):
            x, y = cx + rng.randint(-160, 160), cy + rng.randint(-30, 60)
            draw.ellipse([x - 90, y - 18, x + 90, y + 18], fill=(90, 140, 190))
    draw.ellipse([cx - 22, cy - 10, cx + 22, cy + 10], fill=(40, 40, 45))


def _sign(draw, cx, cy, rng, fixed):
    lean = 0 if fixed else 70
    draw.line([(cx, cy + 40), (cx + lean, cy - 170)], fill=(150, 150, 160), width=10)
    x, y = cx + lean, cy - 200
    draw.ellipse([x - 45, y - 45, x + 45, y + 45], fill=(220, 30, 30))
    draw.ellipse([x - 32, y - 32, x + 32, y + 32], fill=(245, 245, 245))


def _park(draw, cx, cy, rng, fixed):
    draw.polygon(
        [(cx - 120, cy + 30), (cx - 40, cy - 120), (cx - 20, cy - 120), (cx - 90, cy + 30)],
        fill=(240, 180, 30),
    )
    draw.rectangle([cx + 20, cy - 160, cx + 150, cy - 150], fill=(200, 40, 40))
    draw.line([(cx + 60, cy - 150), (cx + 60, cy - 40)], fill=(60, 60, 60), width=3)
    chain_end = (cx + 110, cy - 40) if fixed else (cx + 130, cy - 90)
    draw.line([(cx + 110, cy - 150), chain_end], fill=(60, 60, 60), width=3)
    draw.rectangle([cx + 50, cy - 42, cx + 120, cy - 34], fill=(60, 90, 200))


def _night(draw, cx, cy, rng, fixed):
    """A stall or a building site under lights."""
    draw.rectangle([cx - 100, cy - 120, cx + 100, cy - 100], fill=(200, 50, 40))
    draw.rectangle([cx - 90, cy - 100, cx + 90, cy], fill=(120, 90, 60))
    if not fixed:
        for _i in range(6):
            x = cx + rng.randint(-80, 80)
            draw.ellipse([x - 10, cy - 140, x + 10, cy - 120], fill=(255, 230, 140))


# The problem of each scene (a category's ``scene``), drawn around (cx, cy).
PROBLEMS = {
    "road": _road,
    "rubbish": _rubbish,
    "wall": _wall,
    "light": _light,
    "tree": _tree,
    "water": _water,
    "sign": _sign,
    "park": _park,
    "night": _night,
}
