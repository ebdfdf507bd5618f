//! Domain values: money, validated identifiers, addresses, orders.

mod address;
mod environment;
mod money;
mod newtypes;
mod order;
mod payment;
mod plain_text;

pub use address::Address;
pub use environment::Environment;
pub use money::{Currency, Money};
pub use newtypes::{ChannelOrderId, Email, Sku};
pub use order::{
    total_weight_grams, Actor, ChannelKind, LineDestination, NewOrder, NewOrderLine, OrderEvent,
    OrderSummary,
};
pub(crate) use payment::PaymentState;
pub use payment::StorePayment;
pub use plain_text::plain_text;
