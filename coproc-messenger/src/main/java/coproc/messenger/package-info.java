/**
 * The messengers: {@link coproc.messenger.PriorityMessenger} (the default) and
 * {@link coproc.messenger.MultiMessenger}, their {@link coproc.messenger.MessengerOptions},
 * and {@link coproc.messenger.PriorityMessenger#newPair()} for a connected pair in one JVM.
 */
package coproc.messenger;
