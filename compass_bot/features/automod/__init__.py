"""The AutoMod bridge: Discord's own AutoMod hits become clause-cited alerts, and an opt-in
`automod sync` puts the protocol's plainest checks into AutoMod."""
