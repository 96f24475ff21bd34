"""How well the pupil detector tells pupils from ordinary words, famous people and adults.

    .venv/bin/python benchmarks/pupils_disambiguation.py [--seed 11] [--show 10]

Builds a synthetic 1,500-pupil roster whose first names include many that are also ordinary words
or famous people's (Will, Grace, Summer, Harry, Taylor...), then generates 200 posts that use
those names as words, famous people, staff, relatives or pets (none should fire) and 200 posts
that really mention a pupil (full name, preferred name, possessive, lower case, a one-letter slip,
first name with year group, first name and initial). The templates are deliberately different
from the sentences in tests/test_pupils.py. Prints precision and recall per kind of post, the
mistakes, and the per-post time on 280-character posts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.pupils import PupilDetector
from boundaries.screening.normalise import Document


def words(text: str) -> list[str]:
    return text.split()


# First names: ordinary UK names, names that are ordinary words, famous people's first names.
PLAIN = words(
    "Oliver George Noah Arthur Muhammad Leo Oscar Archie Henry Theodore Freddie Charlie Alfie "
    "Jacob Thomas Finley Arlo Lucas Isaac Olivia Amelia Isla Ava Freya Florence Mia Rosie Sophia "
    "Isabella Sienna Elsie Emily Ella Evelyn Phoebe Evie Harper Aisha Yusuf Kofi Priya Arjun Mei "
    "Zara Ibrahim Nevaeh Eilidh Rhys Cerys Callum Niamh"
)
WORDY = words(
    "Will Grace Rose Hope Faith Joy Amber Summer Autumn River Sky Storm Holly Ivy Daisy Ruby "
    "Jack Bill Mark Frank Dean Hunter Angel Honey Jade Pearl Poppy Robin Max Bella Jordan Taylor"
)
FAMOUS_FIRST = words("Harry Emma Tom Lewis Marcus Jude Amy Billie Ed Mo Bukayo")
ACCENTED = ["Zoë", "Chloé", "Siân", "Seán", "Łukasz", "Ciarán", "Anaïs"]
SURNAMES = words(
    "Atherton Bracewell Sandhu Lockwood Fenwick Oyelaran Doherty Hennessy Kowalczyk Mensah "
    "Barraclough Wainwright Chaudhry McBride Quinn Reilly Osei Moreno Blackwood Pearce Adebayo "
    "Coleman Petrov Bakare Fairclough Pritchard Marchand Gallagher Nowak Rahman Begum Bennett "
    "Clarke Campbell Thompson Whitaker Lindqvist Pembridge Russell Kaplan Robertson Hussain "
    "Iqbal Asante Okonkwo Sharma Patel Gill MacLeod Fraser Morgan Llewellyn Dawson Cooper "
    "Francis Nakamura Zhou Malik Ahmed Yilmaz Demir Popescu Ionescu Silva Santos Eze Farah "
    "Warsame Brooks Carter Doyle Ashworth Bradshaw Bello Rowe Nolan Turnbull Lowe Murray Webb "
    "Dunn Harper Fielding Knight Baptiste Garside Holt Blackburn Johnson Reid Okoro Adeleke"
)
DOUBLE = ["Kelly-Brown", "Ellis-Campbell", "Martinez-Hall", "O'Brien", "O'Neill", "McAllister"]
PREFERRED = {"William": "Will", "Samuel": "Sam", "Olufunmilayo": "Funmi", "Matilda": "Tilly"}
YEARS = ["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
# Pupils whose names sit one letter from a famous name: the famous name must not fire.
LOOKALIKES = [("Harry", "Stiles"), ("Will", "Smyth"), ("Emma", "Watsen"), ("Tom", "Daly")]
STAFF = ["Mr Frank Osei", "Mrs Holly Barnes", "Miss Taylor Grant", "Mr Dean Foster"]


def build_roster(count: int, rng: random.Random) -> list[dict[str, Any]]:
    pupils: list[dict[str, Any]] = []
    pool = PLAIN * 3 + WORDY * 2 + FAMOUS_FIRST + ACCENTED + list(PREFERRED)
    seen: set[tuple[str, str]] = set()
    for forename, surname in LOOKALIKES:
        pupils.append({"forename": forename, "surname": surname, "year_group": rng.choice(YEARS)})
        seen.add((forename, surname))
    while len(pupils) < count:
        forename = rng.choice(pool)
        surname = rng.choice(SURNAMES) if rng.random() > 0.05 else rng.choice(DOUBLE)
        if (forename, surname) in seen:
            continue
        seen.add((forename, surname))
        pupils.append(
            {
                "forename": forename,
                "surname": surname,
                "preferred_name": PREFERRED.get(forename),
                "year_group": rng.choice(YEARS),
            }
        )
    return pupils


# ----------------------------------------------------------------------------------- negatives

PRONOUNS = words("you we they it anyone everyone")
NEGATIVE_TEMPLATES: dict[str, list[str]] = {
    "verb or modal": [
        "Will {p} remember to bring a packed lunch for the Year 3 trip tomorrow?",
        "Will {p} ever stop raining? Wet play again for {y} 🙄",
        "We will see how the {y} assembly goes, fingers crossed",
        "I will mark the {y} spelling tests on the train home",
        "Hope {p} all have a restful half term, {y} have earned it",
        "Mark the date: {y} summer concert is on the 14th",
        "Can't wait to mark 30 {y} maths books tonight, said no one ever",
        "The bill for the {y} residential coach came in at double last year's",
        "Drew a massive rainbow with {y} on the playground today",
        "Frank discussion at the staff meeting about {y} behaviour",
    ],
    "ordinary word": [
        "The roses by the {y} classroom are finally out",
        "summer fair raised £900 for the {y} playground fund!",
        "Summer term timetable for {y} is finally sorted",
        "Autumn leaves everywhere, {y} made collages with them",
        "Amber weather warning tomorrow, {y} swimming is off",
        "What a joy to watch {y} perform their poems today",
        "We planted holly and ivy along the fence with {y}",
        "Storm damage to the {y} cabin roof, builders in next week",
        "The river was so high on our {y} walk today",
        "Bright blue sky for {y} sports day, sun cream everywhere",
        "{y} made daisy chains all lunchtime, so sweet",
        "Angel costumes, shepherd costumes, {y} nativity chaos",
        "There's hope yet, {y} nailed their column addition",
        "Honey and lemon for this teacher voice after {y} choir",
        "Our {y} have a real sense of faith in each other this year",
        "Jack-o'-lanterns carved with {y} for the autumn display",
        "Max 2 adults per {y} child at the performance please",
        "Ruby wedding anniversary for my parents this weekend!",
        "Robin on the {y} windowsill again this morning 🐦",
        "the {y} kids loved the honey tasting in science",
    ],
    "famous person": [
        "Harry Styles on repeat in the car all the way home",
        "harry styles tickets for my birthday!!! screaming",
        "Taylor Swift songs at the {y} disco, the kids knew every word",
        "Will Smith films are my Friday night comfort watch",
        "Bill Gates says AI will teach {y} maths soon. Good luck, Bill",
        "Grace Kelly was the original style icon, change my mind",
        "Jack Grealish's calves are the {y} boys' new obsession",
        "Emma Watson was brilliant in that interview",
        "Tom Daley knitting at the Olympics, iconic",
        "Lewis Hamilton's last race was so tense, I couldn't watch",
        "Marcus Rashford's free school meals campaign inspired our {y} debate",
        "Jude Bellingham scored again, {y} will be unbearable tomorrow",
        "Amy Winehouse on the radio in the staffroom",
        "Billie Eilish is all the {y} girls talk about",
        "Ed Sheeran's new song is actually good",
        "Mo Farah visited a school near us, so inspiring",
        "Bukayo Saka for PM, says half of {y}",
        "Prince Harry's book is on my bedside table",
        "Emma Watson? No, autocorrect, I meant Emma Thompson",
        "Jordan Pickford saved a penalty and {y} went wild",
    ],
    "word next to school": [
        "Joy all round in {y} today after the trip",
        "Faith restored: {y} remembered their PE kits",
        "Storm in a teacup over the {y} nativity parts",
        "Sky high energy in {y} this afternoon, must be the wind",
        "Hunter wellies lined up outside the {y} classroom",
        "Holly wreaths made by {y} for the Christmas fair",
        "Ivy covering the {y} fence needs cutting back",
        "Jade plant on the {y} windowsill is thriving",
        "Pearl earrings lost somewhere near the {y} cloakroom",
        "Honey, I shrunk the {y} budget",
        "River dipping with {y} next week, nets at the ready",
        "Angel Delight for pudding, {y} went wild",
        "Max effort from {y} in PE today",
        "Will power needed to get through the {y} reports",
        "Grace under pressure from {y} in the SATs",
        "Summer born children in {y} are catching up nicely",
        "Bill and invoice for the {y} coach both arrived today",
        "Frankly {y} were the best behaved class at the museum",
        "Dean's list? More like {y}'s list of excuses",
        "Taylor made lesson plans for {y}, the joys of teaching",
    ],
    "adult or relative": [
        "Mr {f} {s} our new caretaker has fixed the boiler",
        "Huge thanks to Mrs {f} {s}, our amazing office manager",
        "My daughter {f} starts at a new nursery on Monday",
        "Our dog {f} ate an entire birthday cake 🐶",
        "Happy birthday to my wonderful husband {f}!",
        "Lunch with my best friend {f} today, much needed",
        "{f} and I are off to Cornwall for the weekend",
        "My niece {f} passed her driving test!",
        "Coffee with {f} from the book club this morning",
        "Cllr {f} {s} opened the new library today",
    ],
}


def negatives(
    pupils: list[dict[str, Any]], rng: random.Random, count: int
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    kinds = list(NEGATIVE_TEMPLATES)
    seen: set[str] = set()
    while len(out) < count:
        kind = rng.choice(kinds)
        template = rng.choice(NEGATIVE_TEMPLATES[kind])
        pupil = rng.choice(pupils)
        text = template.format(
            p=rng.choice(PRONOUNS),
            y=rng.choice(YEARS),
            f=pupil["forename"],
            s=rng.choice(SURNAMES[:20]),  # a surname, but not this pupil's
        )
        if kind == "adult or relative" and any(
            p["forename"] == pupil["forename"] and p["surname"] in text for p in pupils
        ):
            continue  # the generated adult happens to share a pupil's full name
        if text not in seen:
            seen.add(text)
            out.append((kind, text))
    return out


# ----------------------------------------------------------------------------------- positives


@dataclass(frozen=True)
class Positive:
    kind: str
    rule: str
    text: str
    evidence: str


FULL_TEMPLATES = [
    "Couldn't be prouder of {n} at the gala tonight 🏊",
    "{n} came first in the cross country!",
    "Has anyone seen {n}'s reading folder? It's gone walkabout",
    "Parents' evening: {n} is flying in phonics now",
    "Reminder to self: chase {n}'s permission slip",
    "Certificate for {n} this morning, she was beaming",
]
YEAR_TEMPLATES = [
    "{f} from {y} wrote the loveliest thank-you card today",
    "{f} ({y}) managed the whole climbing wall!",
    "Shout out to {f}, {y}, for finally tying her shoelaces",
    "{f} in {y} brought in a snail for show and tell",
]
INITIAL_TEMPLATES = [
    "{f} {i} from {y} asked me if I live at school 😂",
    "{f} {i}. in {y} lost another tooth at lunch",
]


def _typo(surname: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(surname) - 1)
    if rng.random() < 0.5:
        return surname[:i] + surname[i + 1 :]  # a letter dropped
    return surname[:i] + surname[i + 1] + surname[i] + surname[i + 2 :]  # two letters swapped


def positives(pupils: list[dict[str, Any]], rng: random.Random, count: int) -> list[Positive]:
    out: list[Positive] = []
    kinds = ["full name", "preferred + surname", "lower case", "typo", "first name + year",
             "first name + initial"]  # fmt: skip
    while len(out) < count:
        kind = kinds[len(out) % len(kinds)]
        pupil = rng.choice(pupils)
        forename, surname, year = pupil["forename"], pupil["surname"], pupil["year_group"]
        if (forename, surname) in LOOKALIKES:
            continue
        if kind == "preferred + surname":
            if not pupil.get("preferred_name"):
                continue
            name = f"{pupil['preferred_name']} {surname}"
        elif kind == "typo":
            if len(surname) < 6 or not surname.isalpha():
                continue
            name = f"{forename} {_typo(surname, rng)}"
        else:
            name = f"{forename} {surname}"
        if kind in {"full name", "preferred + surname", "typo", "lower case"}:
            template = rng.choice(FULL_TEMPLATES)
            if kind == "lower case":
                name = name.lower()
                template = template.lower()
            text = template.format(n=name)
            out.append(Positive(kind, "PU101", text, name))
        elif kind == "first name + year":
            text = rng.choice(YEAR_TEMPLATES).format(f=forename, y=year)
            out.append(Positive(kind, "PU102", text, forename))
        else:
            template = rng.choice(INITIAL_TEMPLATES)
            text = template.format(f=forename, i=surname[0], y=year)
            out.append(Positive(kind, "PU102", text, f"{forename} {surname[0]}"))
    return out


# ----------------------------------------------------------------------------------- timing

POSTS_280 = [
    "Will you be at the fete on Saturday? The roses are out and Summer holidays are nearly here. "
    "So proud of {n} who read her poem in assembly, and little Grace in my class finally cracked "
    "her times tables! Harry Styles tickets booked for August, absolutely buzzing about it!",
    "Lovely sunny afternoon for sports day! So proud of everyone who took part, the parents' race "
    "was hilarious and the ice cream van did a roaring trade. Roll on the summer holidays, only "
    "three weeks to go now and then six weeks of sleeping in and no marking whatsoever!!",
    "Honestly the traffic on the ring road this morning was unreal, sat there for forty minutes "
    "listening to the radio. Then the photocopier jammed, the coffee machine broke and I spilled "
    "my tea all over the reports. Wine o'clock cannot come soon enough tonight I swear.",
    "Zoë and Chloé came round for tea, we made a lemon drizzle and watched Bake Off. Thomas and "
    "Oliver were out at football, Jack scored twice apparently. Lily brought her new puppy Daisy "
    "who is the cutest thing ever. Amelia is off to Florence next week, so jealous!!",
    "Sam B in year 4 just told me I look like his nan, still my fave tho. We've got a secret "
    "handshake and nobody else is allowed to know about it. Mark my words that boy will be prime "
    "minister one day. Will I survive until Friday? Probably not, send chocolate please.",
]


def timing(detector: PupilDetector, name: str, rounds: int = 2000) -> list[float]:
    medians = []
    for template in POSTS_280:
        post = template.format(n=name)
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            list(detector.detect(Document(post)))
            times.append(time.perf_counter() - began)
        medians.append(statistics.median(times) * 1e6)
    return medians


# ----------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--show", type=int, default=10, help="mistakes to list per kind")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pupils = build_roster(1500, rng)
    context = ScreeningContext.coerce({"pupils": pupils, "school": {"staff": STAFF}})
    began = time.perf_counter()
    detector = PupilDetector(context)
    build_ms = (time.perf_counter() - began) * 1e3

    tp: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[tuple[str, str, str]] = []
    for pos in positives(pupils, rng, 200):
        found = [s for s in detector.detect(Document(pos.text)) if s.score >= 0.5]
        total[pos.kind] += 1
        hit = any(
            s.rule == pos.rule and pos.evidence.lower() in pos.text[s.start : s.end].lower()
            for s in found
        )
        tp[pos.kind] += hit
        if not hit:
            got = ", ".join(f"{s.rule} {pos.text[s.start : s.end]!r}" for s in found) or "nothing"
            misses.append((pos.kind, pos.text, got))

    fp: Counter[str] = Counter()
    negs: Counter[str] = Counter()
    alarms: list[tuple[str, str, str]] = []
    for kind, text in negatives(pupils, rng, 200):
        found = [s for s in detector.detect(Document(text)) if s.score >= 0.5]
        negs[kind] += 1
        if found:
            fp[kind] += 1
            got = ", ".join(f"{s.rule} {text[s.start : s.end]!r} {s.score:.2f}" for s in found)
            alarms.append((kind, text, got))

    print(f"Roster: {len(pupils)} synthetic pupils; detector built in {build_ms:.0f} ms\n")
    print("Real pupil mentions (recall):")
    for kind in total:
        print(f"  {kind:<22} {tp[kind]:>3}/{total[kind]:<3} = {tp[kind] / total[kind]:.0%}")
    print("\nNames used as words, famous people, adults (false alarms):")
    for kind in negs:
        print(f"  {kind:<22} {fp[kind]:>3}/{negs[kind]:<3} fired")
    all_tp, all_fp, all_pos = sum(tp.values()), sum(fp.values()), sum(total.values())
    precision = all_tp / (all_tp + all_fp) if all_tp + all_fp else 1.0
    recall = all_tp / all_pos
    print(
        f"\nPrecision {precision:.3f}  Recall {recall:.3f}  "
        f"(TP {all_tp}, FP {all_fp} of {sum(negs.values())} negatives, FN {all_pos - all_tp})"
    )
    for title, rows in (("Missed", misses), ("False alarms", alarms)):
        if rows:
            print(f"\n{title}:")
            shown: Counter[str] = Counter()
            for kind, text, got in rows:
                if shown[kind] < args.show:
                    shown[kind] += 1
                    print(f"  [{kind}] {text}  ->  {got}")

    first = pupils[10]
    medians = timing(detector, f"{first['forename']} {first['surname']}")
    print(
        "\nPer-post time, 280-character posts, 1,500 pupils (p50 of each post, µs): "
        + ", ".join(f"{m:.0f}" for m in medians)
        + f"; mean of the medians {statistics.mean(medians):.0f} µs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
