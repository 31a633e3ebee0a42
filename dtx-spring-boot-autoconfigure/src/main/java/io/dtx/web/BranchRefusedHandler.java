package io.dtx.web;

import io.dtx.core.BranchRefusedException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a refused branch with 409 Conflict: an answer the caller cancels its
 * transaction on, not a server error. Last in line, so an application's own handler wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class BranchRefusedHandler {

	@ExceptionHandler(BranchRefusedException.class)
	ProblemDetail refused(BranchRefusedException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
