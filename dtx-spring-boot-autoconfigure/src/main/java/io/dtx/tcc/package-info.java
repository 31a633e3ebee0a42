/**
 * TCC: a global transaction whose branches reserve in a try and then confirm or cancel.
 */
@NullMarked
package io.dtx.tcc;

import org.jspecify.annotations.NullMarked;
