// The default config as a commented JSON document (`abmtier init`). It sets
// every key to the default of Config{}; config_test.cpp holds the two equal.
#include "abmtier/config.h"

namespace abmtier {
namespace {

constexpr std::string_view kDefaultConfig =
    R"json(// abmtier configuration. Every key is shown with its default value.
// Delete any key you do not need: a missing key keeps its default. Comments
// like this one are allowed. A misspelt key is an error, never ignored.
// One key can also be changed for a single run, without editing this file:
//   abmtier run accounts.csv --config this-file.json --set capacity.reps=6
{
  // Which header of your CRM export holds each column. null = find the
  // column by its usual header names; case, spaces, underscores, dashes and
  // dots do not matter ("Account ID" = "account_id" = "accountid").
  "columns": {
    "id": null,             // required; usual names: id, account id, record id, company id
    "name": null,           // usual names: name, account name, company name, company
    "fit": null,            // required; usual names: fit, fit score, profile fit, icp fit,
                            //   icp score
    "intent": null,         // required; usual names: intent, intent score, buying intent
    "engagement": null,     // usual names: engagement, engagement score
    "owner": null,          // usual names: owner, account owner, company owner, rep
    "previous_tier": null,  // usual names: tier, current tier, previous tier, account tier
    "last_touch": null,     // usual names: last touch, last activity, last activity date,
                            //   last touch date
    "pipeline": null,       // usual names: pipeline, open pipeline, pipeline amount
    "engaged_roles": null,  // usual names: engaged roles, engaged contacts
    "buying_roles": null    // usual names: buying roles, buying committee, named buyers
  },

  // How each score column is read.
  //   scale: [lowest, highest] of the numbers in your export; they are
  //          converted to 0-100 (a 1-5 score of 4 becomes 75). Default [0, 100].
  //   map:   words or letters and the 0-100 score each stands for, such as
  //          {"A": 95, "B": 80, "High": 90, "Medium": 60, "Low": 30}.
  //          Case and surrounding spaces do not matter. Default: none.
  "scores": {
    "fit": {"scale": [0, 100], "map": {}},
    "intent": {"scale": [0, 100], "map": {}},
    "engagement": {"scale": [0, 100], "map": {}}
  },

  // How much each score counts in the composite score (a weighted average).
  // Each weight is 0 or more; at least one must be above 0. A weight above 0
  // for a column your export does not have is an error.
  "weights": {
    "fit": 0.6,
    "intent": 0.4,
    "engagement": 0
  },

  // Score bands (0-100): "high" from `high` up, "mid" from `mid` up to
  // `high`, "low" below `mid`. mid must not be above high.
  "bands": {
    "fit": {"high": 70, "mid": 40},
    "intent": {"high": 70, "mid": 40}
  },

  // The tier matrix: "matrix": {fit band: {intent band: tier}}.
  // A tier is 1, 2 or 3, "watchlist" (a tier of its own that uses no rep
  // capacity) or "outside" (not in the ABM programme).
  "matrix": {
    "high": {"high": 1, "mid": 2, "low": 2},
    "mid": {"high": 2, "mid": 3, "low": 3},
    "low": {"high": 3, "mid": 3, "low": 3}
  },

  // Hysteresis keeps tiers stable between runs for accounts that had a tier.
  //   promote_at:   composite score (0-100) an account needs to move UP into
  //                 this tier. null = no extra bar: the matrix decides.
  //   demote_below: an account already in this tier stays there until its
  //                 composite drops below this (0-100). null = it leaves as
  //                 soon as the matrix says so.
  "hysteresis": {
    "tier1": {"promote_at": 85, "demote_below": 70},
    "tier2": {"promote_at": null, "demote_below": null},
    "tier3": {"promote_at": null, "demote_below": null}
  },

  // Rep capacity: how many accounts each tier can hold. Accounts over the
  // cap go to a waitlist and are worked in the next tier down.
  //   mode:    "pooled" = caps are team totals; "per_owner" = each owner
  //            gets per_rep slots of their own (max is not allowed then).
  //   reps:    number of reps (whole number, 0 or more). null = count the
  //            distinct owners in the export. The --reps option wins.
  //   max:     fixed total for the tier (pooled mode only). null = reps x per_rep.
  //   per_rep: accounts per rep in the tier. null = no per-rep cap.
  // A tier with neither max nor per_rep (or unknown reps) has no cap.
  "capacity": {
    "mode": "pooled",
    "reps": null,
    "tier1": {"max": null, "per_rep": 8},
    "tier2": {"max": null, "per_rep": 60},
    "tier3": {"max": null, "per_rep": null}
  },

  // Planned share of all accounts in each tier, for the tier-mix report:
  // a fraction from 0 to 1 (0.05 = 5 %); together at most 1.
  // null = derive the plan from the caps.
  "plan": {
    "tier1": null,
    "tier2": null,
    "tier3": null,
    "watchlist": null,
    "outside": null
  },

  // Coverage: an account counts as covered when its last touch is within
  // window_days days (1-3650) of the run date.
  //   date_format: how last_touch dates are written when not ISO
  //                (2026-11-03), such as "%m/%d/%Y" for 11/03/2026 or
  //                "%d.%m.%Y"; "" = ISO dates only.
  "coverage": {
    "window_days": 30,
    "date_format": ""
  },

  // Alerts.
  //   tier_mix_points: warn (tier_mix_off_plan) when a tier's share of the
  //                    accounts is more than this many percentage points
  //                    (0-100) away from its share in "plan" above.
  "alerts": {
    "tier_mix_points": 10
  },

  // Overrides (--overrides pins.csv).
  //   max_share_tier1: budget for pinned accounts as a share of tier 1
  //                    (0-1, e.g. 0.2 = at most a fifth of tier 1 pinned);
  //                    past it the overrides_over_budget alert fires.
  //                    null = no budget.
  "overrides": {
    "max_share_tier1": null
  },

  // The CSV delimiter of the export: ",", ";", "tab", "|", or "auto" to
  // detect it from the header line. The --delimiter option wins.
  "input": {
    "delimiter": "auto"
  },

  // The assignments file.
  //   format: "csv", "tsv", "json" or "jsonl". The --format option wins.
  //   keep:   input columns to copy to the end of each row, such as
  //           ["Industry", "Region"].
  //   raw:    false = text starting with = + - @ is made safe for
  //           spreadsheets; true = written exactly as read.
  "output": {
    "format": "csv",
    "keep": [],
    "raw": false
  }
}
)json";

}  // namespace

std::string default_config_text() { return std::string(kDefaultConfig); }

}  // namespace abmtier
