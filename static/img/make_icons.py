"""Draw the app's icons (web app manifest): python static/img/make_icons.py writes the PNGs beside it.

A white speech bubble on the brand's blue; the maskable icon keeps the bubble inside the
safe zone (the middle 80%) so any mask shape leaves it whole.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (18, 60, 105)
HERE = Path(__file__).resolve().parent


def icon(size: int, *, scale: float) -> Image.Image:
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    box = size * scale
    left, top = (size - box) / 2, (size - box) / 2 - box * 0.05
    bubble = (left, top, left + box, top + box * 0.72)
    draw.rounded_rectangle(bubble, radius=box * 0.18, fill="white")
    tail = [
        (left + box * 0.22, bubble[3] - 2),
        (left + box * 0.46, bubble[3] - 2),
        (left + box * 0.2, bubble[3] + box * 0.2),
    ]
    draw.polygon(tail, fill="white")
    for row in range(3):  # three lines of a story
        y = top + box * (0.18 + row * 0.16)
        width = box * (0.62 if row < 2 else 0.4)
        draw.rounded_rectangle(
            (left + box * 0.18, y, left + box * 0.18 + width, y + box * 0.07), radius=box * 0.035, fill=BRAND
        )
    return image


if __name__ == "__main__":
    icon(192, scale=0.72).save(HERE / "icon-192.png", optimize=True)
    icon(512, scale=0.72).save(HERE / "icon-512.png", optimize=True)
    icon(512, scale=0.56).save(HERE / "icon-maskable-512.png", optimize=True)
