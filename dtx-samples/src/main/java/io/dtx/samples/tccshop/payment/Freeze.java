package io.dtx.samples.tccshop.payment;

/**
 * The body of {@code POST /freezes}: how much of an account's balance to hold back.
 *
 * @param account the account
 * @param amount how much
 */
record Freeze(String account, int amount) {

}
