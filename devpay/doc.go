// Package devpay will model DevPay products, the user and product tokens a
// request carries, and the subscriptions that gate access to data stored
// through a product. It has no API yet.
package devpay
