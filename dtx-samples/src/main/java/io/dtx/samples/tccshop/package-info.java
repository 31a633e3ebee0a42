/**
 * The shop demo as three services that keep their data consistent with TCC over HTTP:
 * order, stock and payment, each a Spring Boot application with a database of its own.
 */
@NullMarked
package io.dtx.samples.tccshop;

import org.jspecify.annotations.NullMarked;
