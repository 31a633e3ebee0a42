/**
 * Interceptor plumbing the modes share: the index of annotated methods, lazily
 * resolved advisors, and the argument codec. Imports only the model.
 */
@NullMarked
package io.dtx.aop;

import org.jspecify.annotations.NullMarked;
