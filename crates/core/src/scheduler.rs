//! The dealer's plan, which sets how often orders are imported (hourly on Basic, every 15
//! minutes on Plus and VIP). The schedule itself is a component of `dealer-runtime`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The dealer's US Direct plan, which sets how often orders are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Plan {
    Basic,
    Plus,
    Vip,
}

impl Plan {
    pub fn interval(self) -> Duration {
        match self {
            Plan::Basic => Duration::from_secs(60 * 60),
            Plan::Plus | Plan::Vip => Duration::from_secs(15 * 60),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Basic => "basic",
            Plan::Plus => "plus",
            Plan::Vip => "vip",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "basic" => Ok(Plan::Basic),
            "plus" => Ok(Plan::Plus),
            "vip" => Ok(Plan::Vip),
            other => Err(Error::invalid(
                "plan",
                format!("{other:?} is not a plan; use basic, plus or vip"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_set_the_interval() {
        assert_eq!(Plan::Basic.interval(), Duration::from_secs(3600));
        assert_eq!(Plan::Plus.interval(), Duration::from_secs(900));
        assert_eq!(Plan::Vip.interval(), Duration::from_secs(900));
        assert_eq!(Plan::parse(" VIP ").unwrap(), Plan::Vip);
        assert!(Plan::parse("gold")
            .unwrap_err()
            .to_string()
            .contains("basic, plus or vip"));
    }
}
