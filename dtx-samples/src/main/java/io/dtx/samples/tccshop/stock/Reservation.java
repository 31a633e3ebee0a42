package io.dtx.samples.tccshop.stock;

/**
 * The body of {@code POST /reservations}: how many of an item to reserve.
 *
 * @param item the item
 * @param quantity how many of it
 */
record Reservation(String item, int quantity) {

}
