/**
 * What the demos that run several services in one JVM share: starting them, each as an
 * application context of its own, and reaching them.
 */
@NullMarked
package io.dtx.samples.services;

import org.jspecify.annotations.NullMarked;
