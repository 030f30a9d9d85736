#!/usr/bin/env python3
"""Self-check of a generated places file: python3 scripts/gazetteer/check.py data/places.tsv

Run by the maintainer after scripts/gazetteer/regen.sh (never by build, setup or CI). Asserts the
Syria test set (cities in English, Arabic and Turkish, with their chain up to SY), the 14 Syrian
governorates, every ISO 3166-1 country, that no place is named Hamas, that Turkey is exact-case
only (=) and Nice and Reading weak (~), and that the file is well formed; prints counts and the file size. Exit 1 on
any failure.
"""

import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_places import fold  # noqa: E402  (the same fold the generator uses)

ISO3166_1 = """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR
HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL
NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""".split()

# GeoNames id: English, Arabic, Turkish forms (the owner may be the city or its governorate).
SYRIA = {
    "Damascus": ("170654", ["Damascus", "دمشق", "Şam", "Dimashq"]),
    "Aleppo": ("170063", ["Aleppo", "حلب", "Halep", "Halab"]),
    "Hama": ("170017", ["Hama", "حماة", "Hamah"]),
    "Homs": ("169577", ["Homs", "حمص", "Humus", "Hims"]),
    "Idlib": ("169389", ["Idlib", "إدلب", "İdlib", "Idleb"]),
    "Latakia": ("173576", ["Latakia", "اللاذقية", "Lazkiye"]),
    "Tartus": ("163345", ["Tartus", "طرطوس", "Tartous"]),
    "Daraa": ("170905", ["Daraa", "درعا", "Dera"]),
    "Raqqa": ("172955", ["Raqqa", "الرقة", "Rakka"]),
    "Deir ez-Zor": ("170794", ["Deir ez-Zor", "دير الزور", "Deyrizor"]),
    "Qamishli": ("173377", ["Qamishli", "القامشلي", "Kamışlı"]),
}
# = exact case only; ~ also needs context (a big city's rare English word: its case only)
WEAK = {"Turkey": "=", "Nice": "~", "Reading": "~", "Shanghai": "=", "Wales": "="}
NEVER = ["Hamas"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "data/places.tsv"
    fails = []
    ents, owner, spell, shared_ids = {}, {}, {}, {}
    kinds = {"C": 0, "A": 0, "P": 0}
    nnames = nweak = 0
    langs = {}
    dropped = ""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("# dropped"):
                dropped = line.split(":", 1)[1].strip()
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 7 or cols[0] not in kinds or not cols[4].isdigit():
                fails.append(f"{path}:{n}: malformed line")
                continue
            kind, eid, cc, parent, pop, name, names = cols
            if eid in ents:
                fails.append(f"{path}:{n}: duplicate id {eid}")
            ents[eid] = (kind, cc, parent, name)
            kinds[kind] += 1
            for item in names.split("|") if names else []:
                if item[:1] == "@":     # also a person's name: a note for the matcher only
                    item = item[1:]
                if item[:2] == "^~":    # weak only outside Persian text: weak here
                    item = item[1:]
                shared = item[:2] == "%~"   # shared by namesakes abroad: each one's, weak
                if shared:
                    item = item[1:]
                if item[:1] == "!":     # a phrase that is not the place: no owner
                    continue
                weak = item[0] if item[:1] in ("~", "=") else ""
                body = item[1:] if weak else item
                lang, _, nm = body.rpartition(":")
                if not nm or "~" in nm or "=" in nm or "|" in nm or "@" in nm:
                    fails.append(f"{path}:{n}: bad name item {item!r}")
                langs[lang or "-"] = langs.get(lang or "-", 0) + 1
                fn = fold(nm)
                if sum(c.isalpha() for c in fn) <= 2:
                    fails.append(f"{path}:{n}: name of 2 letters or fewer {nm!r}")
                # a shared name has no other owner, or one: a capital whose namesakes share it
                if shared:
                    if any(i != eid and ents[i][1] == cc for i in shared_ids.get(fn, ())):
                        fails.append(f"{path}:{n}: {nm!r} shared within {cc}")
                    shared_ids.setdefault(fn, set()).add(eid)
                    owner.setdefault(fn, (eid, nm, weak, True))
                    spell.setdefault(nm, weak)
                    nnames += 1
                    nweak += 1
                    continue
                if fn in owner and owner[fn][0] != eid and not owner[fn][3]:
                    fails.append(f"{path}:{n}: {nm!r} also belongs to {owner[fn][0]}")
                if fn in owner and owner[fn][0] == eid and (not weak or not owner[fn][2]):
                    fails.append(f"{path}:{n}: {nm!r} twice (only weak names have several spellings)")
                owner[fn] = (eid, nm, weak, False)
                spell[nm] = weak
                nnames += 1
                nweak += bool(weak)

    def chain(eid):
        out = []
        while eid in ents and eid not in out:
            out.append(eid)
            eid = ents[eid][2]
        return out

    for eid, (kind, cc, parent, _) in ents.items():
        if kind != "C" and chain(eid)[-1] != cc:
            fails.append(f"{eid}: parent chain {chain(eid)} does not end at its country {cc}")
    for cc in ISO3166_1:
        if ents.get(cc, ("",))[0] != "C":
            fails.append(f"country {cc} missing")
    for i in range(1, 15):
        rid = f"SY.{i:02d}"
        if ents.get(rid, ("", "", ""))[:3] != ("A", "SY", "SY"):
            fails.append(f"Syrian governorate {rid} missing")
    for label, (gid, forms) in SYRIA.items():
        if gid not in ents or chain(gid)[-1] != "SY" or len(chain(gid)) != 3:
            fails.append(f"{label}: city {gid} missing or without its chain city > governorate > SY")
            continue
        for form in forms:
            o = owner.get(fold(form))
            if o is None:
                fails.append(f"{label}: {form!r} is no name")
            elif o[0] not in chain(gid):
                fails.append(f"{label}: {form!r} belongs to {o[0]} {ents[o[0]][3]!r}, not {gid} or its chain")
    for nm in NEVER:
        if fold(nm) in owner:
            fails.append(f"{nm!r} is a name of {owner[fold(nm)][0]}")
    for nm, mark in WEAK.items():
        if spell.get(nm) != mark:
            fails.append(f"{nm!r} is not marked {mark}{nm}: {owner.get(fold(nm))}")

    print(f"{path}: {os.path.getsize(path)} bytes")
    print(f"entities: {kinds['C']} countries, {kinds['A']} regions, {kinds['P']} cities "
          f"({kinds['C'] + kinds['A'] + kinds['P']} in all)")
    print(f"names: {nnames} ({nweak} weak: ~ or =); by language: "
          + ", ".join(f"{k} {v}" for k, v in sorted(langs.items(), key=lambda x: -x[1])))
    print(f"dropped by reason: {dropped}")
    print(f"Syria test set: {len(SYRIA)} cities x {sum(len(v[1]) for v in SYRIA.values())} forms, "
          f"14 governorates, {len(ISO3166_1)} ISO 3166-1 countries")
    for fmsg in fails:
        print("FAIL:", fmsg)
    print("FAILED" if fails else "OK")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
