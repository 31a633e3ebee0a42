/**
 * Global transactions over HTTP: the context in request headers, and the signed phase-two
 * endpoints through which a coordinator completes the branches it opened in other
 * services.
 */
@NullMarked
package io.dtx.web;

import org.jspecify.annotations.NullMarked;
