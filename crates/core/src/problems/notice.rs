//! The one desktop notification for problems that arrive together: a sync of 500 orders that
//! finds 40 declined payments tells the dealer once ("40 orders need you: 40 declined
//! payments"), never 40 times. Pure, so the shell only debounces and shows it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Problem, ProblemKind};

/// Which problems the dealer is told of with a desktop notification (Settings; each on until
/// turned off). The Orders list and the tray count them whatever these say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemNotifications {
    #[serde(default = "on")]
    pub declined: bool,
    #[serde(default = "on")]
    pub refused: bool,
    #[serde(default = "on")]
    pub invalid_tracking: bool,
    #[serde(default = "on")]
    pub late: bool,
}

fn on() -> bool {
    true
}

impl Default for ProblemNotifications {
    fn default() -> Self {
        Self {
            declined: true,
            refused: true,
            invalid_tracking: true,
            late: true,
        }
    }
}

impl ProblemNotifications {
    pub fn wants(&self, kind: ProblemKind) -> bool {
        match kind {
            ProblemKind::Declined => self.declined,
            ProblemKind::Refused => self.refused,
            ProblemKind::InvalidTracking => self.invalid_tracking,
            ProblemKind::Late => self.late,
        }
    }
}

/// What the notification says. `order_id` is set when it is about one order (clicking the
/// tray's item then opens it; otherwise the filtered list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemNotice {
    pub title: String,
    pub body: String,
    pub order_id: Option<i64>,
}

/// One notification for every problem in `problems` the dealer wants told, or none. Each order
/// counts once in the title however many problems it has; the body counts each kind, in the
/// order a dealer acts on them (money first).
pub fn group_problems(
    problems: &[Problem],
    wanted: &ProblemNotifications,
) -> Option<ProblemNotice> {
    let told: BTreeSet<(ProblemKind, i64)> = problems
        .iter()
        .filter(|problem| wanted.wants(problem.kind))
        .map(|problem| (problem.kind, problem.order_id))
        .collect();
    let orders: BTreeSet<i64> = told.iter().map(|(_, order_id)| *order_id).collect();
    let parts: Vec<String> = ProblemKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let count = told.iter().filter(|(told, _)| *told == kind).count();
            (count > 0).then(|| kind.counted(count))
        })
        .collect();
    match orders.len() {
        0 => None,
        1 => {
            let order_id = *orders.first()?;
            let number = problems
                .iter()
                .find(|problem| problem.order_id == order_id)
                .map_or("", |problem| problem.order_number.as_str());
            let kinds: Vec<ProblemKind> = told.iter().map(|(kind, _)| *kind).collect();
            Some(ProblemNotice {
                title: format!("Order {number} needs you"),
                body: kinds
                    .iter()
                    .map(|kind| kind.sentence())
                    .collect::<Vec<_>>()
                    .join("; "),
                order_id: Some(order_id),
            })
        }
        many => Some(ProblemNotice {
            title: format!("{many} orders need you"),
            body: parts.join(", "),
            order_id: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(order_id: i64, kind: ProblemKind) -> Problem {
        Problem {
            order_id,
            order_number: format!("#{}", 1000 + order_id),
            kind,
        }
    }

    #[test]
    fn many_problems_make_one_notification_counting_each_order_once() {
        let problems = [
            problem(1, ProblemKind::Declined),
            problem(2, ProblemKind::Refused),
            problem(3, ProblemKind::Declined),
            // The same order twice, and twice the same problem: still three orders.
            problem(3, ProblemKind::Late),
            problem(1, ProblemKind::Declined),
        ];
        let notice = group_problems(&problems, &ProblemNotifications::default()).unwrap();
        assert_eq!(notice.title, "3 orders need you");
        assert_eq!(notice.body, "2 declined payments, 1 refusal, 1 late");
        assert_eq!(notice.order_id, None);
    }

    #[test]
    fn a_sync_of_500_orders_is_one_notification() {
        let problems: Vec<Problem> = (0..500)
            .map(|id| {
                problem(
                    id,
                    if id % 5 == 0 {
                        ProblemKind::InvalidTracking
                    } else {
                        ProblemKind::Declined
                    },
                )
            })
            .collect();
        let notice = group_problems(&problems, &ProblemNotifications::default()).unwrap();
        assert_eq!(notice.title, "500 orders need you");
        assert_eq!(
            notice.body,
            "400 declined payments, 100 invalid tracking numbers"
        );
    }

    #[test]
    fn one_order_is_named_and_opened() {
        let notice = group_problems(
            &[
                problem(7, ProblemKind::Refused),
                problem(7, ProblemKind::Late),
            ],
            &ProblemNotifications::default(),
        )
        .unwrap();
        assert_eq!(notice.title, "Order #1007 needs you");
        assert_eq!(
            notice.body,
            "US Direct refused the order; no tracking yet, it is late"
        );
        assert_eq!(notice.order_id, Some(7));
    }

    #[test]
    fn kinds_switched_off_are_not_told() {
        let wanted = ProblemNotifications {
            declined: false,
            ..ProblemNotifications::default()
        };
        assert_eq!(
            group_problems(&[problem(1, ProblemKind::Declined)], &wanted),
            None
        );
        let notice = group_problems(
            &[
                problem(1, ProblemKind::Declined),
                problem(2, ProblemKind::Declined),
                problem(3, ProblemKind::InvalidTracking),
            ],
            &wanted,
        )
        .unwrap();
        assert_eq!(notice.title, "Order #1003 needs you");
        assert_eq!(group_problems(&[], &ProblemNotifications::default()), None);
    }
}
