"""The demo's lead images: illustrations drawn here with Pillow, so the project ships no photograph.

Each scene is a few flat shapes over a sky gradient, drawn at 1600×900 and
deterministic (a seeded random generator), so loading the demo twice makes
the same pictures.
"""

import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900


def _sky(top, bottom, horizon=HEIGHT):
    picture = Image.new("RGB", (WIDTH, HEIGHT), bottom)
    draw = ImageDraw.Draw(picture)
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return picture, draw


def _ridge(draw, rng, base, height, colour, roughness=0.35, steps=14):
    points = [(0, HEIGHT)]
    for i in range(steps + 1):
        x = WIDTH * i / steps
        points.append((x, base - height * (0.5 + roughness * (rng.random() - 0.5) * 2)))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def temple(rng):
    picture, draw = _sky((245, 150, 70), (250, 210, 150), 620)
    draw.ellipse([1150, 330, 1290, 470], fill=(255, 235, 190))
    _ridge(draw, rng, 700, 120, (150, 110, 80), 0.2)
    draw.polygon([(300, 900), (520, 560), (1080, 540), (1300, 900)], fill=(120, 90, 70))
    draw.rectangle([560, 470, 1040, 500], fill=(235, 220, 195))
    draw.polygon([(540, 470), (800, 390), (1060, 470)], fill=(235, 220, 195))
    for x in range(580, 1030, 56):
        draw.rectangle([x, 500, x + 26, 600], fill=(225, 208, 180))
    draw.rectangle([550, 600, 1050, 625], fill=(215, 198, 170))
    return picture


def forest(rng):
    picture, draw = _sky((170, 210, 200), (210, 230, 215), 250)
    draw.rectangle([0, 250, WIDTH, HEIGHT], fill=(40, 110, 60))
    for _ in range(420):
        x, y, r = rng.randrange(WIDTH), rng.randrange(230, HEIGHT), rng.randrange(30, 70)
        shade = rng.randrange(-25, 25)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(40 + shade, 120 + shade, 55 + shade))
    draw.polygon([(640, 420), (980, 390), (1060, 620), (700, 680)], fill=(150, 105, 65))
    points = [(x, 820 + 60 * math.sin(x / 180)) for x in range(0, WIDTH + 40, 40)]
    draw.line(points, fill=(120, 170, 190), width=46, joint="curve")
    return picture


def glacier(rng):
    picture, draw = _sky((120, 170, 220), (215, 230, 245), 500)
    _ridge(draw, rng, 520, 320, (110, 115, 125), 0.45, 10)
    draw.polygon([(520, 260), (760, 200), (980, 280), (1080, 700), (460, 700)], fill=(235, 245, 252))
    draw.polygon([(640, 320), (820, 260), (900, 690), (600, 690)], fill=(190, 220, 240))
    _ridge(draw, rng, 700, 60, (90, 95, 105), 0.3, 8)
    draw.rectangle([0, 720, WIDTH, HEIGHT], fill=(70, 175, 185))
    return picture


def train(rng):
    picture, draw = _sky((10, 15, 45), (40, 45, 90), 700)
    for _ in range(160):
        x, y = rng.randrange(WIDTH), rng.randrange(520)
        draw.ellipse([x, y, x + 3, y + 3], fill=(255, 255, 230))
    draw.ellipse([1250, 90, 1350, 190], fill=(240, 240, 215))
    _ridge(draw, rng, 690, 110, (25, 30, 55), 0.3)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(20, 22, 40))
    draw.rectangle([0, 748, WIDTH, 756], fill=(90, 90, 110))
    for car in range(5):
        left = 150 + car * 270
        draw.rounded_rectangle([left, 640, left + 255, 745], radius=16, fill=(70, 30, 45))
        for window in range(4):
            x = left + 20 + window * 58
            draw.rectangle([x, 665, x + 40, 700], fill=(255, 215, 120))
    return picture


def ferry(rng):
    picture, draw = _sky((200, 220, 235), (235, 240, 245), 520)
    draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(40, 90, 150))
    for _ in range(90):
        x, y = rng.randrange(WIDTH), rng.randrange(540, HEIGHT)
        draw.line([(x, y), (x + rng.randrange(30, 90), y)], fill=(90, 140, 190), width=3)
    draw.polygon([(420, 560), (1180, 560), (1120, 640), (480, 640)], fill=(245, 245, 245))
    draw.rectangle([560, 480, 1040, 560], fill=(240, 240, 240))
    draw.rectangle([680, 420, 920, 480], fill=(235, 235, 235))
    for x in range(580, 1030, 45):
        draw.rectangle([x, 500, x + 28, 520], fill=(60, 90, 130))
    draw.rectangle([430, 600, 1170, 612], fill=(30, 110, 90))
    return picture


def rice(rng):
    picture, draw = _sky((250, 200, 130), (250, 230, 190), 420)
    draw.ellipse([1220, 250, 1360, 390], fill=(255, 240, 200))
    _ridge(draw, rng, 460, 140, (70, 130, 80), 0.3)
    draw.rectangle([0, 470, WIDTH, HEIGHT], fill=(205, 165, 60))
    for row in range(12):
        y = 480 + row * row * 3 + row * 8
        draw.line([(0, y), (WIDTH, y)], fill=(170, 130, 40), width=2 + row // 3)
    return picture


def city(rng):
    picture, draw = _sky((150, 200, 235), (215, 235, 245), 520)
    _ridge(draw, rng, 540, 200, (55, 125, 70), 0.4)
    for i in range(7):
        left = 300 + i * 150
        top = 330 + rng.randrange(0, 160)
        draw.rectangle([left, top, left + 110, 720], fill=(245, 245, 240))
        for y in range(top + 20, 700, 34):
            draw.rectangle([left + 14, y, left + 96, y + 12], fill=(140, 180, 210))
    _ridge(draw, rng, 760, 60, (40, 105, 60), 0.3)
    return picture


def books(rng):
    picture, draw = _sky((240, 230, 210), (225, 210, 185), HEIGHT)
    draw.rectangle([0, 700, WIDTH, HEIGHT], fill=(140, 95, 60))
    colours = [(170, 50, 50), (40, 90, 140), (220, 170, 60), (60, 120, 80), (110, 60, 120), (200, 110, 60)]
    y = 700
    for i in range(8):
        height = rng.randrange(38, 60)
        left = 520 + rng.randrange(-40, 40)
        draw.rectangle([left, y - height, left + 520, y], fill=colours[i % len(colours)])
        draw.line([(left + 30, y - height // 2), (left + 200, y - height // 2)], fill=(245, 235, 210), width=4)
        y -= height
    draw.line([(1250, 700), (1250, 380)], fill=(60, 60, 60), width=10)
    draw.polygon([(1150, 380), (1350, 380), (1300, 300), (1200, 300)], fill=(60, 110, 90))
    return picture


def chip(rng):
    picture = Image.new("RGB", (WIDTH, HEIGHT), (30, 105, 70))
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.line([(x, y), (x + rng.choice([-1, 1]) * rng.randrange(100, 400), y)], fill=(190, 130, 60), width=5)
        draw.line([(x, y), (x, y + rng.choice([-1, 1]) * rng.randrange(100, 300))], fill=(190, 130, 60), width=5)
    for i in range(12):
        offset = 560 + i * 40
        draw.rectangle([offset, 230, offset + 16, 270], fill=(200, 200, 205))
        draw.rectangle([offset, 630, offset + 16, 670], fill=(200, 200, 205))
        draw.rectangle([530, 230 + i * 36 + 30, 560, 246 + i * 36 + 30], fill=(200, 200, 205))
        draw.rectangle([1040, 230 + i * 36 + 30, 1070, 246 + i * 36 + 30], fill=(200, 200, 205))
    draw.rounded_rectangle([560, 260, 1040, 640], radius=18, fill=(35, 35, 40))
    draw.ellipse([600, 300, 630, 330], fill=(70, 70, 80))
    return picture


def permafrost(rng):
    picture, draw = _sky((200, 215, 230), (235, 240, 245), 560)
    draw.rectangle([0, 560, WIDTH, HEIGHT], fill=(245, 248, 250))
    for _ in range(60):
        x, y = rng.randrange(WIDTH), rng.randrange(580, HEIGHT)
        draw.line([(x, y), (x + rng.randrange(40, 140), y + 2)], fill=(215, 225, 235), width=3)
    draw.rectangle([620, 470, 900, 600], fill=(190, 60, 50))
    draw.polygon([(600, 470), (760, 400), (920, 470)], fill=(120, 40, 35))
    draw.rectangle([700, 520, 760, 600], fill=(90, 60, 50))
    draw.line([(1060, 600), (1060, 300)], fill=(80, 80, 90), width=8)
    draw.line([(1060, 330), (1140, 330)], fill=(80, 80, 90), width=6)
    draw.ellipse([1130, 315, 1160, 345], fill=(230, 200, 60))
    return picture


SCENES = {f.__name__: f for f in (temple, forest, glacier, train, ferry, rice, city, books, chip, permafrost)}


def draw_scene(name, seed):
    """The scene as PNG bytes."""
    output = io.BytesIO()
    SCENES[name](random.Random(seed)).save(output, format="PNG", optimize=True)
    return output.getvalue()
