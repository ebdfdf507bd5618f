//! Export CSV from the real window: the Orders list as filtered, saved where the save dialog
//! answers (the debug build's `DEALER_PORTAL_SAVE_PATH` seam, as a GTK dialog cannot be
//! clicked over WebDriver), read back as CSV.

use dealer_e2e::Home;

#[tokio::test]
async fn the_orders_list_as_filtered_exports_to_the_file_the_dialog_answers() {
    let home = Home::new();
    let seeded = home.cli_ok(&["dev", "seed", "--orders", "40"]);
    assert!(seeded.contains("seeded 40 orders"), "{seeded}");
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    let customer = listed[0]["customer_name"].as_str().unwrap().to_string();

    let saves = tempfile::tempdir().unwrap();
    let save_path = saves.path().to_str().unwrap().to_string();
    let app = home
        .launch_with(&[("DEALER_PORTAL_SAVE_PATH", &save_path)], &[])
        .await
        .unwrap();
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for_text("[data-testid=orders-total]", "40")
        .await
        .unwrap();

    // Filter the list by one customer's name, as the dealer would.
    app.type_into("[data-testid=orders-search]", &customer)
        .await
        .unwrap();
    // The list re-renders as the search applies: read until the total and the rows agree
    // (an element replaced mid-read is read again).
    let mut shown = Vec::new();
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let Ok(total) = app.text("[data-testid=orders-total]").await else {
            continue;
        };
        if total.starts_with("40 ") {
            continue;
        }
        let Ok(count) = total.split(' ').next().unwrap_or("").parse::<usize>() else {
            continue;
        };
        let Ok(rows) = app.all("[data-testid=order-number]").await else {
            continue;
        };
        let mut read = Vec::new();
        for row in rows {
            match app.element_text(&row).await {
                Ok(text) => read.push(text),
                Err(_) => break,
            }
        }
        if read.len() == count {
            shown = read;
            break;
        }
    }
    assert!(
        !shown.is_empty() && shown.len() < 40,
        "the search for {customer:?} showed {shown:?}"
    );

    app.click("[data-testid=orders-export-toggle]")
        .await
        .unwrap();
    app.click("[data-testid=orders-export-bom]").await.unwrap();
    app.click("[data-testid=orders-export-orders]")
        .await
        .unwrap();
    let name = {
        let mut found = None;
        for _ in 0..100 {
            let names: Vec<String> = std::fs::read_dir(saves.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            if let [only] = names.as_slice() {
                if !only.starts_with('.') {
                    found = Some(only.clone());
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        found.expect("no export file was saved")
    };
    assert!(
        name.starts_with("orders-") && name.ends_with(".csv"),
        "suggested name {name:?}"
    );
    let saved = app
        .wait_for_text("[data-testid=orders-export-saved]", "Saved")
        .await
        .unwrap();
    let word = if shown.len() == 1 { "order" } else { "orders" };
    assert!(
        saved.contains(&format!("Saved {} {word} to", shown.len())) && saved.contains(&name),
        "{saved:?}"
    );
    app.screenshot("orders-export-saved").await.unwrap();

    let bytes = std::fs::read(saves.path().join(&name)).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(&reader.headers().unwrap()[0], "Number");
    let mut exported: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_string())
        .collect();
    exported.sort();
    shown.sort();
    assert_eq!(exported, shown, "the file holds the orders the list showed");
    app.quit().await.unwrap();
}
