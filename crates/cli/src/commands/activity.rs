//! `dealer activity`: the Activity page's entries, newest first. Orders a store sent that could
//! not be read are here with the reason, so the dealer can fix them in the store.

use anyhow::Result;
use dealer_core::activity::ActivityEntry;
use dealer_core::Engine;

pub async fn run(engine: &Engine, json: bool, limit: u32) -> Result<()> {
    let entries = engine.store().recent_activity(limit).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(());
    }
    for entry in &entries {
        match entry {
            ActivityEntry::OrderEvent {
                at,
                order_number,
                to,
                detail,
                ..
            } => println!("{at}  order {order_number} → {}: {detail}", to.as_str()),
            ActivityEntry::SyncRun {
                at,
                channel,
                imported,
                updated,
                quarantined,
                error,
                ..
            } => println!(
                "{at}  sync {}: {imported} new, {updated} updated, {quarantined} set aside{}",
                channel.as_deref().unwrap_or("(no channel)"),
                error
                    .as_ref()
                    .map(|e| format!("; failed: {e}"))
                    .unwrap_or_default()
            ),
            ActivityEntry::Quarantined {
                at,
                channel,
                channel_order_id,
                reason,
                ..
            } => println!(
                "{at}  {channel} order {} set aside: {reason}",
                channel_order_id.as_deref().unwrap_or("(no id)")
            ),
            ActivityEntry::Incident { at, source, detail } => {
                println!("{at}  problem ({source}): {detail}")
            }
        }
    }
    Ok(())
}
