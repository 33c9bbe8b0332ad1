#!/usr/bin/python3
"""abmtier's tiering rules in pandas: the benchmark's dataframe peer.

    peer_pandas.py ACCOUNTS.csv [--dump FILE]

Implements SPEC.md for the benchmark config (bench.json): composite with the
default weights, fit and intent bands, the default tier matrix, hysteresis
against the `current tier` column (tier 1 promotes at 85 and demotes below
70), and the capacity gate in `per_owner` mode (tier 1: 8, tier 2: 60 per
owner, tier 3 uncapped; accounts with no owner form one group), ranking
incumbents before the rest, then composite desc, fit desc, id asc, with the
cascade 1 -> 2 -> 3 -> outside.

Prints one JSON line with the tier counts. --dump writes id, tier,
waitlist_tier and waitlist_rank per account, to compare with abmtier's CSV.

It reads the generator's exports (gen_accounts.cpp): plain decimal scores on
0-100, no padding spaces around values, unique ids. What those files never
contain (categorical maps, `%`, other scales, duplicate ids) is not handled.
Like abmtier, it compares composites unrounded and breaks ties by fit, then
by id in byte order (Python compares str by code point, the same order for
UTF-8).
"""
import json
import sys

import numpy as np
import pandas as pd

# bench.json and the defaults it keeps.
W_FIT, W_INTENT, W_ENGAGEMENT = 0.6, 0.4, 0.0
FIT_HIGH, FIT_MID = 70.0, 40.0
INTENT_HIGH, INTENT_MID = 70.0, 40.0
# Tiers as indexes: 0, 1, 2 = tiers 1-3, 3 = watchlist, 4 = outside, -1 = none.
TIER_NAMES = ["1", "2", "3", "watchlist", "outside"]
MATRIX = np.array([[0, 1, 1], [1, 2, 2], [2, 2, 2]], dtype=np.int8)  # [fit band][intent band]
PROMOTE_AT = [85.0, None, None, None, None]
DEMOTE_BELOW = [70.0, None, None, None, None]
CAP_PER_OWNER = [8, 60, None]


def parse_tier_lenient(text):
    """SPEC 10: optional `tier`/`t` prefix, optional ` `, `_` or `-`, then
    1-3; `watchlist`; `outside`. Anything else: no previous tier."""
    t = text.strip(" \t").lower()
    if t in ("watchlist", "outside"):
        return 3 if t == "watchlist" else 4
    if t.startswith("tier"):
        t = t[4:]
    elif t.startswith("t"):
        t = t[1:]
    elif t not in ("1", "2", "3"):
        return -1
    if t[:1] in (" ", "_", "-"):
        t = t[1:]
    return int(t) - 1 if t in ("1", "2", "3") else -1


def read_accounts(path):
    df = pd.read_csv(
        path,
        usecols=["id", "owner", "fit", "intent", "engagement", "current tier"],
        dtype={"id": str, "owner": str, "current tier": str,
               "fit": np.float64, "intent": np.float64, "engagement": np.float64},
        keep_default_na=False, na_values=[""], engine="c",
    )
    rows = len(df)
    intent = df["intent"].fillna(0.0)
    engagement = df["engagement"].fillna(0.0)
    ok = (df["fit"].between(0, 100) & intent.between(0, 100) & engagement.between(0, 100))
    df = df.assign(intent=intent, engagement=engagement)[ok].reset_index(drop=True)
    return df, rows


def previous_tiers(column):
    codes, uniques = pd.factorize(column)
    lookup = np.array([parse_tier_lenient(u) for u in uniques] + [-1], dtype=np.int8)
    return lookup[codes]  # code -1 (empty) picks the trailing -1


def band(score, high, mid):
    return np.where(score >= high, 0, np.where(score >= mid, 1, 2)).astype(np.int8)


def eligible_tiers(m, p, composite):
    """SPEC 5, vectorised over the tier indexes."""
    out = m.copy()
    promo = (p >= 0) & (m < p)
    out[promo] = p[promo]  # held unless some tier qualifies
    for t in range(4, -1, -1):  # descending, so the best qualifying tier wins
        ok = np.ones(len(m), bool) if PROMOTE_AT[t] is None else composite >= PROMOTE_AT[t]
        sel = promo & (m <= t) & (t < p) & ok
        out[sel] = t
    demo = (p >= 0) & (m > p)
    held = np.zeros(len(m), bool)
    for t in range(5):
        if DEMOTE_BELOW[t] is not None:
            held |= demo & (p == t) & (composite >= DEMOTE_BELOW[t])
    out[held] = p[held]
    for t in range(4, -1, -1):
        if DEMOTE_BELOW[t] is not None:
            sel = demo & ~held & (p < t) & (t < m) & (composite >= DEMOTE_BELOW[t])
            out[sel] = t
    return out


def capacity_gate(df):
    """Rows of df are in global ranking order. Returns tier, waitlist tier and
    waitlist rank per row."""
    n = len(df)
    elig = df["eligible"].to_numpy()
    prev = df["previous"].to_numpy()
    group = pd.Series(pd.factorize(df["owner"], use_na_sentinel=True)[0])  # no owner: -1
    tier = np.where(elig >= 3, elig, -1).astype(np.int8)
    wl_tier = np.full(n, -1, np.int8)
    wl_rank = np.zeros(n, np.int64)
    carried = np.zeros(n, bool)
    for k in range(3):
        cand = np.flatnonzero((elig == k) | carried)
        carried[:] = False
        cap = CAP_PER_OWNER[k]
        if cap is None:
            tier[cand] = k
            continue
        incumbent = (prev[cand] >= 0) & (prev[cand] <= k)
        cand = cand[np.argsort(~incumbent, kind="stable")]  # incumbents first, order kept
        seat = group.iloc[cand].groupby(group.iloc[cand].to_numpy()).cumcount().to_numpy()
        placed = seat < cap
        tier[cand[placed]] = k
        out = cand[~placed]
        carried[out] = True
        first = out[wl_tier[out] < 0]
        wl_tier[first] = k
        g = group.iloc[first]
        wl_rank[first] = g.groupby(g.to_numpy()).cumcount().to_numpy() + 1
    tier[carried] = 4
    return tier, wl_tier, wl_rank


def main(argv):
    path = argv[1]
    dump = argv[argv.index("--dump") + 1] if "--dump" in argv else None
    df, rows = read_accounts(path)
    composite = (W_FIT * df["fit"] + W_INTENT * df["intent"] + W_ENGAGEMENT * df["engagement"]) / (
        W_FIT + W_INTENT + W_ENGAGEMENT)
    m = MATRIX[band(df["fit"].to_numpy(), FIT_HIGH, FIT_MID), band(df["intent"].to_numpy(), INTENT_HIGH, INTENT_MID)]
    prev = previous_tiers(df["current tier"])
    df = pd.DataFrame({"id": df["id"], "owner": df["owner"], "fit": df["fit"], "composite": composite,
                       "previous": prev, "eligible": eligible_tiers(m, prev, composite.to_numpy())})
    df = df.sort_values(["composite", "fit", "id"], ascending=[False, False, True], kind="stable",
                        ignore_index=True)
    tier, wl_tier, wl_rank = capacity_gate(df)
    counts = np.bincount(tier, minlength=5)
    result = {name: int(counts[i]) for i, name in enumerate(TIER_NAMES)}
    result.update(accepted=len(df), rejected=rows - len(df))
    print(json.dumps(result))
    if dump:
        names = np.array(TIER_NAMES + [""], dtype=object)
        pd.DataFrame({"id": df["id"], "tier": names[tier], "waitlist_tier": names[wl_tier],
                      "waitlist_rank": np.where(wl_rank > 0, wl_rank.astype(str), "")}).to_csv(dump, index=False)


if __name__ == "__main__":
    main(sys.argv)
