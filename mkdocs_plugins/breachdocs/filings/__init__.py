"""Filings: every document of an incident's filings (:mod:`.documents`), the bundle of all of them
with its manifest (:mod:`.bundle`, :mod:`.manifest`), the cache (:mod:`.cache`), the approval stamp
(:mod:`.stamp`), the binding filing record (:mod:`.binding`) and documents as filed after an
amendment (:mod:`.as_filed`)."""
