#!/usr/bin/env python3
"""Regenerates the example exports in this folder (deterministic).

worked_example.csv is SPEC 6's worked example: 250 accounts, 4 reps, 64 with
high fit, 41 of those with high intent, no mid-fit account with high intent.
hubspot_export.csv and salesforce_export.csv use those CRMs' own header names.
"""
import csv
import random

WORDS_A = ["Acme", "Blue", "Cobalt", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Iris",
           "Juniper", "Keystone", "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "Redwood",
           "Summit", "Tidal", "Union", "Vertex", "Willow", "Zenith"]
WORDS_B = ["Analytics", "Logistics", "Health", "Systems", "Robotics", "Foods", "Energy", "Labs",
           "Software", "Capital", "Networks", "Materials", "Media", "Bio", "Security", "Cloud"]
SUFFIX = ["Inc", "LLC", "GmbH", "Ltd", "S.A.", "Group", "Corp"]
INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics"]
REPS = ["Dana Whitfield", "Luis Ortega", "Mei Chen", "Priya Raman"]


def company(rng, i):
    name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {rng.choice(SUFFIX)}"
    if i % 17 == 0:
        name = name.replace(" ", ", ", 1)  # a comma that needs quoting
    return name


def score(rng, lo, hi):
    return round(rng.uniform(lo, hi), 1)


def worked_example(path):
    rng = random.Random(3)
    rows = []
    # (count, fit range, intent range): 41 high/high, 23 high fit with lower
    # intent, 186 others with fit < 70 and no mid-fit/high-intent account.
    groups = [(41, (70, 99), (70, 99)), (15, (70, 99), (40, 69.9)), (8, (70, 99), (5, 39.9)),
              (120, (40, 69.9), (0, 69.9)), (66, (5, 39.9), (0, 99))]
    i = 0
    for count, fit, intent in groups:
        for _ in range(count):
            i += 1
            rows.append({
                "account_id": f"ACC-{1000 + i}",
                "account_name": company(rng, i),
                "owner": REPS[i % 4],
                "fit_score": score(rng, *fit),
                "intent_score": score(rng, *intent),
                "industry": rng.choice(INDUSTRIES),
                "last_activity_date": f"2026-{rng.randint(9, 11):02d}-{rng.randint(1, 28):02d}",
                "open_pipeline": rng.choice([0, 0, 15000, 42000, 120000, 250000]),
                "engaged_roles": rng.randint(0, 4),
                "buying_roles": rng.choice([0, 4, 6, 8]),
            })
    rng.shuffle(rows)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def hubspot(path):
    rng = random.Random(11)
    fields = ["Record ID", "Company name", "Company owner", "Industry", "Number of Employees",
              "Country/Region", "Fit Score", "Intent Score", "Last Activity Date", "Create Date"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(fields)
        for i in range(1, 61):
            w.writerow([str(9_800_000_000 + i * 37), company(rng, i), rng.choice(REPS + [""]),
                        rng.choice(INDUSTRIES), rng.choice([45, 180, 900, 4200, 15000]),
                        rng.choice(["United States", "Germany", "United Kingdom", "France"]),
                        score(rng, 10, 99), rng.choice([score(rng, 0, 99), ""]),
                        f"2026-{rng.randint(8, 11):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
                        "2024-03-15 09:12"])


def salesforce(path):
    rng = random.Random(29)
    fields = ["Account ID", "Account Name", "Account Owner", "Industry", "Billing Country",
              "Fit Grade", "Intent Score (0-1)", "Account Tier", "Last Activity", "Open Pipeline",
              "Description"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        w.writerow(fields)
        for i in range(1, 81):
            grade = rng.choice("AABBBCCD")
            w.writerow([f"001Hs00000{i:03d}AbCQAU", company(rng, i), rng.choice(REPS),
                        rng.choice(INDUSTRIES), rng.choice(["United States", "Canada"]),
                        grade, f"{rng.uniform(0, 1):.2f}", rng.choice(["Tier 1", "Tier 2", "Tier 3", ""]),
                        f"{rng.randint(8, 11)}/{rng.randint(1, 28)}/2026",
                        rng.choice(["0", "25000", "130000.50"]),
                        rng.choice(["", "Renewal in Q3.\nChampion: VP Ops", "Met at \"SaaStr\", asked for pricing"])])


if __name__ == "__main__":
    worked_example("worked_example.csv")
    hubspot("hubspot_export.csv")
    salesforce("salesforce_export.csv")
