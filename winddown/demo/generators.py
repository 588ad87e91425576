"""Generators of valid-looking personal data and register files. Plain Python."""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬建国志晓东海燕文博宇航雪梅俊子涵欣怡浩然思远家豪雨桐"  # noqa: E501
AREAS = ("110101", "310104", "440305", "440304", "330106", "320102", "510107", "420106", "130102")
HEADER = ["姓名", "证件类型", "证件号码", "手机号", "待收本金(元)", "待收利息(元)", "出借笔数"]


def resident_id(
    rng: random.Random, *, area: str | None = None, birth: datetime.date | None = None
) -> str:
    """A resident ID number with a real birth date and a correct GB 11643 check digit."""
    area = area or rng.choice(AREAS)
    if birth is None:
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 50))
    body = f"{area}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"


def chinese_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def register_rows(count: int, *, seed: int = 1) -> Iterator[list[str]]:
    """Rows of a valid register: unique ID numbers, amounts with fen, a few zero rows."""
    rng = random.Random(seed)
    seen: set[str] = set()
    produced = 0
    while produced < count:
        number = resident_id(rng)
        if number in seen:
            continue
        seen.add(number)
        principal = rng.choice(
            [0, rng.randrange(100, 5_000_000), rng.randrange(100_000, 200_000_000)]
        )
        interest = principal * rng.randrange(0, 15) // 100
        yield [
            chinese_name(rng),
            "身份证",
            number,
            mobile(rng),
            f"{principal // 100}.{principal % 100:02d}",
            f"{interest // 100}.{interest % 100:02d}",
            str(rng.randrange(1, 40)),
        ]
        produced += 1


def write_register_csv(path: Path, rows, *, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path
