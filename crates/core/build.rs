//! The migrations are built into the engine (`sqlx::migrate!`); a new or changed migration file
//! must rebuild it, which cargo does not know by itself.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
