/**
 * Internal: framing, handshake, error transport and the built-in serializers. Not exported;
 * nothing here is API.
 */
package coproc.messenger.internal;
