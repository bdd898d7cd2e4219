"""Statutory facts pinned to the rule base in jurisdictions/.

Each case names the provision it checks (it appears in the test id). A case
takes the version of a duty in force on a given day and compares its
recipient, threshold and deadline with what the statute says; a wrong edit
of a jurisdiction file fails the case that cites the provision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from breachdocs.law.rules import Jurisdiction, load_jurisdiction

ROOT = Path(__file__).resolve().parent.parent
JURISDICTIONS = ROOT / "jurisdictions"


@dataclass(frozen=True)
class Fact:
    citation: str
    code: str
    duty: str
    on: str
    threshold: tuple[int, str, str] | None = None  # count, comparison, of
    days: int | None = None
    hours: int | None = None
    basis: str = "calendar"
    start: str = "discovery"
    undelayed: bool | None = None  # without unreasonable delay
    recipient: str = ""  # a word the recipient's name must contain
    form: str | None = None


FACTS = [
    # North Carolina, N.C.G.S. 75-61, 75-65
    Fact("N.C.G.S. 75-65(a) consumers without unreasonable delay, any NC resident", "US-NC", "consumers",
         "2007-08-10", (1, ">=", "residents"), undelayed=True),
    Fact("N.C.G.S. 75-65(f) 2005: AG only when more than 1,000 persons notified", "US-NC", "attorney-general",
         "2007-08-10", (1000, ">", "residents"), undelayed=True, start="consumer_notice",
         recipient="Consumer Protection Division", form="us-nc-ago-breach"),
    Fact("N.C.G.S. 75-65(e1) from 2009-10-01: AG for any NC resident", "US-NC", "attorney-general",
         "2009-10-01", (1, ">=", "residents"), undelayed=True, start="consumer_notice",
         recipient="Attorney General", form="us-nc-ago-breach"),
    Fact("N.C.G.S. 75-65(e1) last day of the 2005 text is 2009-09-30", "US-NC", "attorney-general",
         "2009-09-30", (1000, ">", "residents")),
    Fact("N.C.G.S. 75-65(f) 2005: credit bureaus when more than 1,000 persons notified", "US-NC",
         "credit-bureaus", "2007-08-10", (1000, ">", "residents"), undelayed=True, start="consumer_notice",
         recipient="consumer reporting agencies"),
    Fact("N.C.G.S. 75-65(f) credit bureaus over 1,000", "US-NC", "credit-bureaus", "2025-01-01",
         (1000, ">", "residents"), undelayed=True, recipient="consumer reporting agencies"),
    # Washington, RCW 19.255.010
    Fact("RCW 19.255.010 (2005) consumers without unreasonable delay", "US-WA", "consumers", "2010-01-01",
         (1, ">=", "residents"), undelayed=True),
    Fact("RCW 19.255.010 (2015 c 64) consumers 45 days", "US-WA", "consumers", "2016-01-01",
         (1, ">=", "residents"), days=45),
    Fact("RCW 19.255.010 (2015 c 64) AG more than 500, 45 days", "US-WA", "attorney-general", "2020-02-29",
         (500, ">", "residents"), days=45, recipient="Attorney General"),
    Fact("RCW 19.255.010(7)-(8) from 2020-03-01 AG 30 days", "US-WA", "attorney-general", "2020-03-01",
         (500, ">", "residents"), days=30),
    Fact("RCW 19.255.010(8) from 2020-03-01 consumers 30 days", "US-WA", "consumers", "2020-03-01",
         (1, ">=", "residents"), days=30),
    # Texas, Bus. & Com. Code 521.053
    Fact("Tex. Bus. & Com. Code 521.053(i) (H.B. 4390) AG at least 250, 60 days from determination", "US-TX",
         "attorney-general", "2023-08-31", (250, ">=", "residents"), days=60, start="determination"),
    Fact("Tex. Bus. & Com. Code 521.053(i) (S.B. 768) from 2023-09-01 AG 30 days", "US-TX", "attorney-general",
         "2023-09-01", (250, ">=", "residents"), days=30, start="determination", recipient="Texas Attorney General"),
    Fact("Tex. Bus. & Com. Code 521.053(b) consumers 60 days from determination", "US-TX", "consumers",
         "2024-01-01", (1, ">=", "residents"), days=60, start="determination"),
    Fact("Tex. Bus. & Com. Code 521.053(h) credit bureaus over 10,000", "US-TX", "credit-bureaus", "2024-01-01",
         (10000, ">", "residents")),
    # New York, Gen. Bus. Law 899-aa
    Fact("N.Y. Gen. Bus. Law 899-aa(2) before 2024-12-21 without unreasonable delay", "US-NY", "consumers",
         "2024-12-20", (1, ">=", "residents"), undelayed=True),
    Fact("N.Y. Gen. Bus. Law 899-aa(2) (S2659-B) from 2024-12-21 30 days", "US-NY", "consumers", "2024-12-21",
         (1, ">=", "residents"), days=30),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) Attorney General", "US-NY", "attorney-general", "2020-01-01",
         (1, ">=", "residents"), start="consumer_notice", recipient="Attorney General"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) Department of State", "US-NY", "department-of-state", "2020-01-01",
         (1, ">=", "residents"), recipient="Department of State"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) State Police", "US-NY", "state-police", "2020-01-01",
         (1, ">=", "residents"), recipient="State Police"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) (S2659-B) DFS from 2024-12-21", "US-NY",
         "department-of-financial-services", "2024-12-21", (1, ">=", "residents"), recipient="Financial Services"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(b) credit bureaus over 5,000", "US-NY", "credit-bureaus", "2020-01-01",
         (5000, ">", "residents")),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) (ch. 442 of 2005) Consumer Protection Board until 2011-03-31", "US-NY",
         "department-of-state", "2011-03-31", (1, ">=", "residents"), recipient="Consumer Protection Board"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) (ch. 62 of 2011) Department of State from 2011-04-01", "US-NY",
         "department-of-state", "2011-04-01", recipient="Department of State"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) (2005, 2011) Office of Cyber Security until 2013-03-27", "US-NY",
         "state-police", "2013-03-27", recipient="Office of Cyber Security"),
    Fact("N.Y. Gen. Bus. Law 899-aa(8)(a) (ch. 55 of 2013) State Police from 2013-03-28", "US-NY", "state-police",
         "2013-03-28", recipient="State Police"),
    # Tennessee, Tenn. Code Ann. 47-18-2107 (Pub. Ch. 473 of 2005, 692 of 2016, 91 of 2017)
    Fact("Tenn. Code Ann. 47-18-2107(b) (2005) most expedient time", "US-TN", "consumers", "2016-06-30",
         (1, ">=", "residents"), undelayed=True),
    Fact("Tenn. Code Ann. 47-18-2107(b) (2016) immediately, 45 days", "US-TN", "consumers", "2016-07-01",
         (1, ">=", "residents"), days=45, undelayed=True),
    Fact("Tenn. Code Ann. 47-18-2107(b) (2017) no later than 45 days", "US-TN", "consumers", "2017-04-04",
         (1, ">=", "residents"), days=45, undelayed=False),
    Fact("Tenn. Code Ann. 47-18-2107(g) credit bureaus over 1,000", "US-TN", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # Ohio, R.C. 1349.19 (H.B. 104 of 2005, S.B. 126 of 2006)
    Fact("Ohio Rev. Code 1349.19(B)(2) 45 days", "US-OH", "consumers", "2020-01-01", (1, ">=", "residents"),
         days=45, undelayed=True),
    Fact("Ohio Rev. Code 1349.19(G) credit bureaus over 1,000", "US-OH", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # New Jersey, N.J.S.A. 56:8-163 (P.L.2005, c.226; P.L.2019, c.95)
    Fact("N.J.S.A. 56:8-163(f) credit bureaus over 1,000", "US-NJ", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # Nevada, NRS 603A.220 (S.B. 347 of 2005)
    Fact("NRS 603A.220(6) credit bureaus over 1,000", "US-NV", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # Oregon, ORS 646A.604 (S.B. 583 of 2007; S.B. 1551 of 2018, in force 2018-06-02; S.B. 684 of 2019)
    Fact("ORS 646A.604(1) (2007) before S.B. 1551 without unreasonable delay", "US-OR", "consumers", "2018-06-01",
         (1, ">=", "residents"), undelayed=True),
    Fact("ORS 646A.604(3)(a) (S.B. 1551) 45 days from 2018-06-02", "US-OR", "consumers", "2018-06-02",
         (1, ">=", "residents"), days=45, undelayed=True),
    Fact("ORS 646A.604(6) credit bureaus over 1,000", "US-OR", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # Pennsylvania, 73 P.S. 2303, 2305 (Act 94 of 2005)
    Fact("73 P.S. 2303(a) (2005) following discovery, without unreasonable delay", "US-PA", "consumers",
         "2020-01-01", (1, ">=", "residents"), undelayed=True),
    Fact("73 P.S. 2305 (2005) credit bureaus over 1,000 persons", "US-PA", "credit-bureaus", "2020-01-01",
         (1000, ">", "residents")),
    # Delaware, 6 Del. C. 12B-102 (H.B. 116 of 2005)
    Fact("6 Del. C. 12B-102(a) (2005) most expedient time after the investigation", "US-DE", "consumers",
         "2018-04-13", (1, ">=", "residents"), undelayed=True, start="determination"),
    # California, Civ. Code 1798.82
    Fact("Cal. Civ. Code 1798.82(a) before 2026 without unreasonable delay", "US-CA", "consumers", "2025-12-31",
         (1, ">=", "residents"), undelayed=True),
    Fact("Cal. Civ. Code 1798.82(a)(2) (S.B. 446) from 2026-01-01 30 days", "US-CA", "consumers", "2026-01-01",
         (1, ">=", "residents"), days=30),
    Fact("Cal. Civ. Code 1798.82(f) (S.B. 24) AG sample copy over 500 from 2012", "US-CA", "attorney-general",
         "2012-01-01", (500, ">", "residents"), undelayed=True, start="consumer_notice"),
    Fact("Cal. Civ. Code 1798.82(f) (S.B. 446) AG 15 days after consumer notice", "US-CA", "attorney-general",
         "2026-01-01", (500, ">", "residents"), days=15, start="consumer_notice"),
    # Florida, Fla. Stat. 817.5681 (2005-2014) and 501.171 (S.B. 1524, from 2014-07-01)
    Fact("Fla. Stat. 817.5681(1)(a) consumers 45 days after determination", "US-FL", "consumers", "2014-06-30",
         (1, ">=", "residents"), days=45, start="determination", undelayed=True),
    Fact("Fla. Stat. 501.171(4)(a) consumers 30 days after determination", "US-FL", "consumers", "2014-07-01",
         (1, ">=", "residents"), days=30, start="determination", undelayed=True),
    Fact("Fla. Stat. 501.171(3)(a) Department of Legal Affairs 500 or more, 30 days", "US-FL", "attorney-general",
         "2014-07-01", (500, ">=", "residents"), days=30, start="determination", recipient="Legal Affairs"),
    Fact("Fla. Stat. 501.171(5) credit bureaus more than 1,000", "US-FL", "credit-bureaus", "2014-07-01",
         (1000, ">", "residents"), undelayed=True, recipient="consumer reporting agencies"),
    Fact("Fla. Stat. 501.171(6)(a) third-party agent 10 days", "US-FL", "data-owner", "2014-07-01",
         (1, ">=", "residents"), days=10, start="determination", undelayed=True),
    # Colorado, C.R.S. 6-1-716 (H.B. 10-1422, H.B. 18-1128 as enacted)
    Fact("C.R.S. 6-1-716(2)(a) (2006) consumers without unreasonable delay", "US-CO", "consumers", "2018-08-31",
         (1, ">=", "residents"), undelayed=True, start="determination"),
    Fact("C.R.S. 6-1-716(2)(a) (H.B. 18-1128) consumers 30 days after determination", "US-CO", "consumers",
         "2018-09-01", (1, ">=", "residents"), days=30, start="determination", undelayed=True),
    Fact("C.R.S. 6-1-716(2)(f)(I) AG 500 or more, 30 days after determination", "US-CO", "attorney-general",
         "2018-09-01", (500, ">=", "residents"), days=30, start="determination", recipient="Attorney General"),
    Fact("C.R.S. 6-1-716(2)(d) credit bureaus more than one thousand", "US-CO", "credit-bureaus", "2010-07-01",
         (1000, ">", "residents"), undelayed=True),
    Fact("C.R.S. 6-1-716(2)(b) (2006) maintainer immediately following discovery", "US-CO", "data-owner",
         "2018-08-31", days=0),
    # Maryland, Com. Law 14-3504, 14-3506 (H.B. 208 of 2007, H.B. 974 of 2017 as enacted)
    Fact("Md. Com. Law 14-3504(b)(3) (H.B. 974) 45 days after the investigation", "US-MD", "consumers",
         "2018-01-01", (1, ">=", "residents"), days=45, start="determination", undelayed=True),
    Fact("Md. Com. Law 14-3504(c)(2) (H.B. 974) maintainer 45 days after discovery", "US-MD", "data-owner",
         "2018-01-01", days=45, undelayed=True),
    Fact("Md. Com. Law 14-3506(a) credit bureaus 1,000 or more", "US-MD", "credit-bureaus", "2008-01-01",
         (1000, ">=", "residents"), undelayed=True),
    # Maryland, the current 14-3504 (the General Assembly's page, from 2022-10-01)
    Fact("Md. Com. Law 14-3504(b)(3) (current) 45 days after discovery", "US-MD", "consumers", "2022-10-01",
         (1, ">=", "residents"), days=45, undelayed=True),
    Fact("Md. Com. Law 14-3504(c)(2) (current) maintainer 10 days after discovery", "US-MD", "data-owner",
         "2022-10-01", days=10, undelayed=True),
    Fact("Md. Com. Law 14-3504(c)(2) (H.B. 974) maintainer 45 days until 2022-09-30", "US-MD", "data-owner",
         "2022-09-30", days=45, undelayed=True),
    # Montana, Mont. Code Ann. 30-14-1704 (H.B. 732 of 2005 as enacted; the current text)
    Fact("Mont. Code Ann. 30-14-1704(1) consumers without unreasonable delay", "US-MT", "consumers", "2006-03-01",
         (1, ">=", "residents"), undelayed=True),
    Fact("Mont. Code Ann. 30-14-1704(2) maintainer immediately following discovery", "US-MT", "data-owner",
         "2006-03-01", days=0, undelayed=True),
    Fact("Mont. Code Ann. 30-14-1704(8) copy to the consumer protection office simultaneously", "US-MT",
         "attorney-general", "2016-01-01", (1, ">=", "residents"), days=0, start="consumer_notice",
         recipient="Consumer Protection"),
    # Louisiana, La. R.S. 51:3074 (Acts 2005 No. 499; Act 382 of 2018, in force 2018-08-01)
    Fact("La. R.S. 51:3074(C) (2005) consumers without unreasonable delay", "US-LA", "consumers", "2018-07-31",
         (1, ">=", "residents"), undelayed=True),
    Fact("La. R.S. 51:3074(E) (Act 382) consumers 60 days after discovery", "US-LA", "consumers", "2018-08-01",
         (1, ">=", "residents"), days=60, undelayed=True),
    Fact("La. R.S. 51:3074(B) (2005) maintainer without unreasonable delay", "US-LA", "data-owner", "2018-07-31",
         undelayed=True),
    Fact("La. R.S. 51:3074(D), (E) (Act 382) maintainer 60 days after discovery", "US-LA", "data-owner",
         "2018-08-01", days=60, undelayed=True),
    # Georgia, O.C.G.A. 10-1-912(d) (S.B. 236 of 2007 as enacted)
    Fact("O.C.G.A. 10-1-912(d) credit bureaus more than 10,000", "US-GA", "credit-bureaus", "2007-05-24",
         (10000, ">", "residents"), undelayed=True),
    # Mississippi, Miss. Code Ann. 75-24-29 (H.B. 583 of 2010, in force 2011-07-01)
    Fact("Miss. Code Ann. 75-24-29(3) consumers without unreasonable delay", "US-MS", "consumers", "2011-07-01",
         (1, ">=", "residents"), undelayed=True),
    # Massachusetts, M.G.L. c. 93H
    Fact("M.G.L. c. 93H 3(b) Attorney General, any resident", "US-MA", "attorney-general", "2020-01-01",
         (1, ">=", "residents"), undelayed=True, recipient="Attorney General"),
    Fact("M.G.L. c. 93H 3(b) OCABR, any resident", "US-MA", "regulator", "2020-01-01",
         (1, ">=", "residents"), undelayed=True, recipient="Consumer Affairs"),
    Fact("M.G.L. c. 93H 3(b) consumers", "US-MA", "consumers", "2020-01-01", (1, ">=", "residents"),
         undelayed=True),
    # HIPAA, 45 CFR 164.400-414
    Fact("45 CFR 164.404(b) individuals within 60 days", "US-FED-HIPAA", "consumers", "2020-01-01",
         (1, ">=", "total"), days=60),
    Fact("45 CFR 164.408(b) HHS 500 or more", "US-FED-HIPAA", "hhs", "2020-01-01", (500, ">=", "total"),
         days=60, recipient="Health and Human Services"),
    Fact("45 CFR 164.408(c) HHS annual log under 500, 60 days after year end", "US-FED-HIPAA", "hhs-log",
         "2020-01-01", (500, "<", "total"), days=60, start="calendar_year_end"),
    Fact("45 CFR 164.406 media more than 500 residents of a State", "US-FED-HIPAA", "media", "2020-01-01",
         (500, ">", "per_state"), days=60),
    # FTC Safeguards Rule, 16 CFR 314.4(j)
    Fact("16 CFR 314.4(j)(1) FTC at least 500 consumers, 30 days, from 2024-05-13", "US-FED-FTC-SAFEGUARDS", "ftc",
         "2024-05-13", (500, ">=", "total"), days=30, recipient="Federal Trade Commission"),
    # FTC Health Breach Notification Rule, 16 CFR 318
    Fact("16 CFR 318.5(c) (2009) FTC 10 business days", "US-FED-FTC-HBNR", "ftc", "2024-07-28",
         (500, ">=", "total"), days=10, basis="business"),
    Fact("16 CFR 318.5(c) (89 FR 47028) from 2024-07-29 FTC within 60 days", "US-FED-FTC-HBNR", "ftc",
         "2024-07-29", (500, ">=", "total"), days=60),
    Fact("16 CFR 318.5(c) FTC annual log under 500", "US-FED-FTC-HBNR", "ftc-log", "2024-07-29",
         (500, "<", "total"), days=60, start="calendar_year_end"),
    Fact("16 CFR 318.3-318.4 individuals within 60 days", "US-FED-FTC-HBNR", "consumers", "2024-07-29",
         (1, ">=", "total"), days=60),
    # SEC Form 8-K Item 1.05
    Fact("Form 8-K Item 1.05 four business days after materiality, from 2023-12-18", "US-FED-SEC", "sec",
         "2023-12-18", days=4, basis="business", start="materiality_determination", recipient="Securities"),
    # EU GDPR
    Fact("GDPR Art. 33(1) supervisory authority 72 hours", "EU-GDPR", "supervisory-authority", "2018-05-25",
         hours=72, start="awareness", undelayed=True),
    Fact("GDPR Art. 34(1) data subjects without undue delay", "EU-GDPR", "consumers", "2018-05-25",
         undelayed=True),
    # UK GDPR
    Fact("UK GDPR Art. 33(1) ICO 72 hours from 2021-01-01", "GB-UKGDPR", "supervisory-authority", "2021-01-01",
         hours=72, start="awareness", recipient="Information Commissioner"),
    Fact("GDPR Art. 33(1) with DPA 2018 ICO 72 hours until 2020-12-31", "GB-UKGDPR", "supervisory-authority",
         "2020-12-31", hours=72, start="awareness", recipient="Information Commissioner"),
]

#: Duties that did not exist on a day: (citation, code, duty, day).
NOT_IN_FORCE = [
    ("Tex. Bus. & Com. Code 521.053(i) AG notice began 2020-01-01", "US-TX", "attorney-general", "2019-12-31"),
    ("RCW 19.255.010 AG notice began 2015-07-24", "US-WA", "attorney-general", "2015-07-23"),
    ("N.Y. Gen. Bus. Law 899-aa(8)(a) DFS notice began 2024-12-21", "US-NY", "department-of-financial-services",
     "2024-12-20"),
    ("Cal. Civ. Code 1798.82(f) AG sample copy began 2012-01-01", "US-CA", "attorney-general", "2011-12-31"),
    ("NRS 603A.220 (S.B. 347 of 2005, s. 30(2)) in force 2006-01-01", "US-NV", "consumers", "2005-12-31"),
    ("N.C.G.S. 75-65 (S.L. 2005-414) in force 2005-12-01", "US-NC", "consumers", "2005-11-30"),
    ("10 M.R.S. 1348 (P.L. 2005 c. 379) takes effect 2006-01-31", "US-ME", "consumers", "2006-01-30"),
    ("Miss. Code Ann. 75-24-29 (H.B. 583) in force 2011-07-01", "US-MS", "consumers", "2011-06-30"),
    ("Md. Com. Law 14-3504 (H.B. 208) in force 2008-01-01", "US-MD", "consumers", "2007-12-31"),
    ("Cal. Civ. Code 1798.82 (S.B. 1386) operative 2003-07-01", "US-CA", "consumers", "2003-06-30"),
    ("16 CFR 314.4(j) FTC Safeguards notice began 2024-05-13", "US-FED-FTC-SAFEGUARDS", "ftc", "2024-05-12"),
    ("Form 8-K Item 1.05 began 2023-12-18", "US-FED-SEC", "sec", "2023-12-17"),
    ("GDPR Art. 33 applies from 2018-05-25", "EU-GDPR", "supervisory-authority", "2018-05-24"),
]

_cache: dict[str, Jurisdiction] = {}


def jurisdiction(code: str) -> Jurisdiction:
    if code not in _cache:
        loaded, findings = load_jurisdiction(JURISDICTIONS / f"{code.lower()}.yaml")
        assert loaded is not None, "\n".join(str(f) for f in findings)
        _cache[code] = loaded
    return _cache[code]


def test_at_least_forty_facts_are_pinned() -> None:
    assert len(FACTS) + len(NOT_IN_FORCE) >= 40


@pytest.mark.parametrize("fact", FACTS, ids=[f.citation for f in FACTS])
def test_statutory_fact(fact: Fact) -> None:
    duty = jurisdiction(fact.code).in_force(fact.duty, dt.date.fromisoformat(fact.on))
    assert duty is not None, f"{fact.citation}: no version of {fact.code} {fact.duty} in force on {fact.on}"
    t = duty.threshold
    d = duty.deadline
    if fact.threshold is not None:
        assert (t.count, t.comparison, t.of) == fact.threshold, fact.citation
    if fact.days is not None:
        assert (d.days, d.basis, d.start) == (fact.days, fact.basis, fact.start), fact.citation
    if fact.hours is not None:
        assert (d.hours, d.start) == (fact.hours, fact.start), fact.citation
    if fact.undelayed is not None:
        assert d.without_unreasonable_delay is fact.undelayed, fact.citation
        if fact.days is None and fact.hours is None:
            assert d.days is None and d.hours is None, f"{fact.citation}: no fixed number of days"
    if fact.start != "discovery":
        assert d.start == fact.start, fact.citation
    if fact.recipient:
        assert fact.recipient.lower() in duty.recipient["name"].lower(), fact.citation
    if fact.form is not None:
        assert duty.form == fact.form, fact.citation


@pytest.mark.parametrize(("citation", "code", "duty", "day"), NOT_IN_FORCE, ids=[n[0] for n in NOT_IN_FORCE])
def test_duty_not_yet_in_force(citation: str, code: str, duty: str, day: str) -> None:
    assert jurisdiction(code).in_force(duty, dt.date.fromisoformat(day)) is None, citation
    later = jurisdiction(code).versions(duty)[0].effective_from
    assert later == dt.date.fromisoformat(day) + dt.timedelta(days=1), citation


def test_ny_dfs_notice_is_not_owed_by_other_businesses_after_the_chapter_amendment() -> None:
    """S2659-B named DFS for every business from 2024-12-21; its 2025 chapter amendment kept only DFS-regulated ones."""
    ny = jurisdiction("US-NY")
    before = ny.in_force("department-of-financial-services", dt.date(2025, 2, 13), [])
    assert before is not None and before.written_for([])
    after = ny.in_force("department-of-financial-services", dt.date(2025, 2, 14), [])
    assert after is not None and not after.written_for([]) and after.written_for(["nydfs-regulated"])


@pytest.mark.parametrize(("code", "element", "since"), [
    ("US-MD", "state_id", "2018-01-01"),  # 14-3501(d)(1)(ii) (2008): "A driver's license number" only
    ("US-LA", "state_id", "2018-08-01"),  # 51:3073(4)(a)(ii) (2005): "Driver's license number" only
    ("US-CA", "genetic", "2022-01-01"),   # 1798.82(h)(1)(H), A.B. 825
])
def test_an_element_counts_from_the_act_that_added_it(code: str, element: str, since: str) -> None:
    info = jurisdiction(code).personal_information
    assert info is not None and info["since"][element] == since


def test_california_content_counts_from_sb_24_and_ab_1710() -> None:
    """Cal. Civ. Code 1798.82(d): S.B. 24 (2012) added the content list, A.B. 1710 (2015) the services offer."""
    ca = jurisdiction("US-CA")
    assert ca.required_content_since["incident_date"] == dt.date(2012, 1, 1)
    assert ca.required_content_since["credit_monitoring"] == dt.date(2015, 1, 1)


def test_florida_extension_is_for_the_notice_to_individuals() -> None:
    """Fla. Stat. 501.171(3)(a): "15 additional days to provide notice as required in subsection (4)"."""
    on = dt.date(2024, 1, 1)
    consumers = jurisdiction("US-FL").in_force("consumers", on)
    department = jurisdiction("US-FL").in_force("attorney-general", on)
    assert consumers is not None and department is not None
    assert consumers.deadline.extension_days == 15
    assert department.deadline.extension_days is None


def test_nc_form_fields_cover_the_seed_form() -> None:
    """The NC Security Breach Reporting Form (seed filing) asks for each of these (N.C.G.S. 75-65)."""
    duty = jurisdiction("US-NC").in_force("attorney-general", dt.date(2024, 1, 1))
    assert duty is not None
    for field in ("reporting_business.name", "dates.discovered", "affected.total", "affected.residents.US-NC",
                  "circumstances", "data.protected", "prevention", "dates.consumers_notified", "notice.methods"):
        assert field in duty.required_fields


def test_nc_letter_paragraph_gives_the_attorney_generals_contact() -> None:
    """N.C.G.S. 75-65(d)(7): toll-free number, address and web site of the NC Attorney General."""
    nc = jurisdiction("US-NC")
    assert "ag_contact" in nc.required_content
    text = " ".join(nc.letter_paragraphs)
    assert "1-877-566-7226" in text and "9001 Mail Service Center" in text and "ncdoj.gov" in text


@pytest.mark.parametrize(("code", "duty", "on", "kinds", "version_from", "days"), [
    # R.I. Gen. Laws 11-49.3-4 (2023 amendment): 30 days for state and municipal agencies, 45 for everyone else.
    ("US-RI", "consumers", "2024-01-01", [], "2023-06-27", 45),
    ("US-RI", "consumers", "2024-01-01", ["government-agency"], "2023-06-27", 30),
    ("US-RI", "consumers", "2023-01-01", ["government-agency"], "2016-07-02", 45),
    # Utah Code 13-44-202 (2023) for businesses; 63A-19 (2024) for government entities.
    ("US-UT", "attorney-general", "2024-07-01", [], "2023-05-03", None),
    ("US-UT", "attorney-general", "2024-07-01", ["government-agency"], "2024-05-01", 5),
    # N.Y. Gen. Bus. Law 899-aa(8)(a): since the 2025 chapter amendment to S2659-B only DFS-regulated businesses notify DFS.
    ("US-NY", "department-of-financial-services", "2025-06-01", ["nydfs-regulated"], "2025-02-14", None),
    # SEC Form 8-K Item 1.05: smaller reporting companies comply from 2024-06-15, other registrants from 2023-12-18.
    ("US-FED-SEC", "sec", "2024-07-01", ["sec-registrant"], "2023-12-18", 4),
    ("US-FED-SEC", "sec", "2024-07-01", ["sec-registrant", "sec-smaller-reporting-company"], "2024-06-15", 4),
])
def test_a_law_with_a_version_for_each_kind_of_business(code: str, duty: str, on: str, kinds: list[str],
                                                          version_from: str, days: int | None) -> None:
    version = jurisdiction(code).in_force(duty, dt.date.fromisoformat(on), kinds)
    assert version is not None
    assert (str(version.effective_from), version.deadline.days) == (version_from, days)
    assert version.written_for(kinds)


def test_md_attorney_general_notice_asks_what_14_3504_h_2_lists() -> None:
    """Md. Com. Law 14-3504(h)(2) (current): residents affected, how and when the breach occurred, steps taken."""
    duty = jurisdiction("US-MD").in_force("attorney-general", dt.date(2022, 10, 1))
    assert duty is not None
    for field in ("affected.residents.US-MD", "circumstances", "dates.breach_start", "actions_taken"):
        assert field in duty.required_fields
