package io.dtx.message;

/**
 * Thrown in a local transaction whose message a check-back already resolved as rolled
 * back: the transaction started after its half message had waited past
 * {@code dtx.messages.check-after}, and is rolled back so that what the resolver was told
 * holds.
 */
public class MessageRolledBackException extends RuntimeException {

	private final String messageId;

	MessageRolledBackException(String messageId, Throwable cause) {
		super("Transactional message " + messageId + " was resolved as rolled back by a check-back before its local"
				+ " transaction wrote its barrier; the local transaction is rolled back and the message dropped."
				+ " A local transaction must start within dtx.messages.check-after of its half message", cause);
		this.messageId = messageId;
	}

	/**
	 * The message's id.
	 */
	public String getMessageId() {
		return this.messageId;
	}

}
