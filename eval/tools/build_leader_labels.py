"""Build ``eval/data/pii_leader_labels.jsonl``: the person names in the shared leader corpus.

Every name below was read in context by a person on the team (candidates came from
capitalised words, initials, and lowercase words after "with", "to", "thank"...). Each row
lists the surface forms that are people; the output records, per text field, which forms
occur there (case-sensitive, whole words) and a hash of the field so a changed corpus is
noticed. Not people, though they look like it: "10 AM", "NO WORK", "TIB" (a meeting),
"Krispy Kreme", "Queen Mary" (a university), "secret Santa", "Black History Month", "Costa"
(coffee), "Smyrna", "Nectar" points, "Waro" (a programme), a closing "X" (a kiss)::

    python -m eval.tools.build_leader_labels
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "leader-action-plans.csv"
OUT = ROOT / "eval" / "data" / "pii_leader_labels.jsonl"
FIELDS = ("firstTaskGoal", "addTaskGoals", "addFirstRelGoal", "addRelGoals", "addRelGoalsLater")

# corpus row (0-based, header excluded) -> people named in it
PEOPLE = {
    5: "Lizzy Tony",
    6: "Tony",
    8: "Tony",
    10: "Tony",
    14: "SP CB",
    19: "Laurie",
    22: "Kamel",
    23: "Jamel",
    38: "Jamie",
    50: "AL",
    51: "LR",
    52: "AL LR",
    53: "DV",
    54: "AL",
    55: "BH OL",
    56: "LR",
    57: "AL",
    76: "James",
    79: "Esther",
    104: "Maria",
    105: "Alex",
    106: "Felicia",
    107: "Alex Felicia",
    108: "Felicia",
    109: "Alice Alicia",
    110: "Alex Jane John",
    111: "Jon",
    112: "Alex John Jane",
    126: "John",
    230: "Jessica",
    231: "Jessica",
    237: "lairent Laurentiis Lauren",
    238: "LJ LM",
    241: "David",
    242: "James Esther",
    244: "herb",
    263: "GD",
    265: "Paul",
    266: "CAM",
    268: "AS GK AM",
    269: "CAM PW",
    270: "CAM",
    284: "Jim",
    287: "Danny",
    288: "danny",
    294: "Danny",
    328: "Avi",
    329: "Avi Mike",
    330: "Sandeep Popli",
    331: "Mike",
    333: "Mike manny",
    334: "Neel",
    356: "Tony",
    357: "les",
    358: "Craig",
    359: "Craig Steve",
    360: "Phil",
    361: "Phil",
    362: "Ryan",
    363: "Anita",
    365: "PY",
    401: "James",
    402: "David",
    403: "James",
    404: "Jake Mark",
    405: "Hayley",
    410: "Hayley",
    411: "Jen",
    423: "MR EG",
    424: "MR",
    425: "AH GM",
    426: "AH EG MR",
    428: "MR",
    429: "MR",
    431: "Nicole Barb",
    440: "Christian",
    444: "Mike",
    451: "Adam",
    454: "Adam",
    456: "Maria",
    468: "Ethan mark",
    469: "AA Megan",
    470: "AA",
    471: "Michael",
    483: "Herta",
    484: "Diana",
    497: "Gabriel",
    514: "Peter",
    517: "John Mike",
    529: "mt",
    543: "James Dave",
    574: "Louis",
    575: "Rob",
    576: "Jamie",
    578: "Jamie",
    613: "Sam",
    624: "BR",
    625: "MM",
    626: "MM",
    627: "BR",
    628: "SJ SA",
    629: "SJ",
    630: "SJ BR",
    631: "SJ",
    632: "RB",
    633: "DB AM",
    634: "SL",
    638: "KS SL",
    657: "Helen",
    659: "Helen",
    660: "Tegh",
    674: "David",
    685: "Z",
    686: "M",
    688: "Z M",
    689: "Mukesh",
    702: "Emma",
    710: "Brooke",
    738: "Darren Toby",
    739: "Darren",
    742: "Toby",
    747: "R",
    748: "X Y",
    773: "T",
    775: "HJ",
    793: "Arshi",
    807: "Julia",
    840: "CG",
    853: "DR",
    854: "DR",
    855: "TM",
    857: "J D",
    869: "Ashley",
    875: "kh",
    876: "KH louise",
    878: "KH",
    879: "LR",
    880: "kelvin louise",
    881: "H",
    882: "J",
    883: "J",
    885: "J",
    886: "J H",
    887: "H",
    903: "ST JG",
    904: "JG ST",
    905: "SA",
    908: "JD",
    909: "Julie",
    961: "Tracy",
    967: "Jose",
    969: "José",
    972: "Michael Markus",
    973: "Li Mark",
    992: "Veronica",
    993: "Lindsey",
    995: "Erin",
    996: "Jamie",
    1015: "DH",
    1057: "Marc Susan",
    1059: "Marc",
    1060: "George Kathy",
    1066: "gage",
    1074: "Eddie",
    1084: "Carl",
    1090: "David",
    1092: "Keith",
    1093: "Keith",
    1095: "Keith",
    1097: "V",
    1107: "Mark",
    1110: "Stella Mark",
    1130: "K C",
    1132: "Sarah Mick",
    1133: "Steve",
    1134: "Steve",
    1147: "Gemma",
    1149: "Gemma",
    1182: "Ollie",
    1221: "Jeanne",
    1226: "Fynn",
    1228: "David",
    1229: "Cassandra Billy",
    1230: "Fynn",
    1238: "Collins",
    1253: "Jamie toms",
    1267: "John Emily David",
    1300: "Jeff",
    1301: "Joe Gerry",
    1307: "Isabelle",
    1308: "Melanie",
    1309: "James",
    1310: "James",
    1311: "James",
}


def main() -> None:
    with CORPUS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: list[dict[str, object]] = []
    counts = 0
    used: set[tuple[int, str]] = set()
    for i, names in sorted(PEOPLE.items()):
        wanted = set(names.split())
        for field in FIELDS:
            text = (rows[i][field] or "").strip()
            if not text or text in {"undefined", "[No Response]"}:
                continue
            found = [n for n in sorted(wanted) if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
            if found:
                digest = hashlib.sha1(text.encode()).hexdigest()[:12]
                out.append({"row": i, "field": field, "sha1": digest, "PERSON": found})
                counts += len(found)
                used.update((i, n) for n in found)
    missing = [(i, n) for i, ns in PEOPLE.items() for n in ns.split() if (i, n) not in used]
    if missing:
        raise SystemExit(f"labels not found in the corpus: {missing}")
    OUT.write_text("".join(json.dumps(o) + "\n" for o in out), encoding="utf-8")
    print(f"{len(out)} labelled fields, {counts} distinct names")


if __name__ == "__main__":
    main()
