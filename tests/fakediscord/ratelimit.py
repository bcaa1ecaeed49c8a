"""Discord's rate limits, emulated: per-route buckets and the global limit.

Discord answers every request with ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``,
``-Reset-After`` and ``-Bucket`` headers, and a request beyond a bucket with 429 and a body
``{"message", "retry_after", "global", "code"}`` (docs: "Rate Limits"). discord.py reads
these headers, waits when a bucket is empty and retries after a 429. The limits are the
ones Discord is known to give (5 messages per 5 s per channel, 50 requests per second
globally); ``window_scale`` shrinks every window so a test can see a burst handled without
waiting seconds. Interaction callbacks are not bound by the global limit (docs).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "interaction_id")


@dataclass(frozen=True)
class BucketRule:
    """``limit`` requests per ``window`` seconds on one route, per major parameter."""

    method: str
    template: str
    limit: int
    window: float


DEFAULT_RULES: tuple[BucketRule, ...] = (
    BucketRule("POST", "/channels/{channel_id}/messages", 5, 5.0),
    BucketRule("PATCH", "/channels/{channel_id}/messages/{message_id}", 5, 5.0),
    BucketRule("DELETE", "/channels/{channel_id}/messages/{message_id}", 5, 1.0),
    BucketRule("PATCH", "/guilds/{guild_id}/members/{user_id}", 10, 10.0),
    BucketRule("POST", "/users/@me/channels", 10, 10.0),
    BucketRule(
        "PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", 1, 0.25
    ),
)


@dataclass
class _Bucket:
    limit: int
    window: float
    count: int = 0
    reset_at: float = 0.0


@dataclass
class Verdict:
    """The answer of the limiter for one request: headers to send; ``retry_after`` set when
    the request is refused (429)."""

    headers: dict[str, str]
    retry_after: float | None = None
    is_global: bool = False
    bucket: str = ""


@dataclass
class RateLimits:
    """Rate-limit emulation for ``FakeDiscord(rate_limits=RateLimits(...))``; off without it."""

    rules: tuple[BucketRule, ...] = DEFAULT_RULES
    default_limit: int = 50  # routes without a rule: Discord gives most of them 50 or more
    default_window: float = 1.0
    global_limit: int = 50
    global_window: float = 1.0
    window_scale: float = 1.0
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, bucket)
    exhausted: list[tuple[str, str]] = field(default_factory=list)  # buckets that hit 0
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)
    _global: _Bucket | None = None

    def _rule(self, method: str, template: str) -> tuple[int, float]:
        for rule in self.rules:
            if rule.method == method and rule.template == template:
                return rule.limit, rule.window * self.window_scale
        return self.default_limit, self.default_window * self.window_scale

    @staticmethod
    def bucket_hash(method: str, template: str) -> str:
        return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]

    def check(self, method: str, template: str, params: Mapping[str, str], now: float) -> Verdict:
        """Count one request at monotonic time ``now``."""
        bucket_hash = self.bucket_hash(method, template)
        major = ":".join(params.get(p, "") for p in MAJOR_PARAMETERS if p in params)
        exempt_from_global = template.startswith(("/interactions/", "/webhooks/"))
        if not exempt_from_global:
            if self._global is None or now >= self._global.reset_at:
                self._global = _Bucket(
                    self.global_limit,
                    self.global_window * self.window_scale,
                    0,
                    now + self.global_window * self.window_scale,
                )
            if self._global.count >= self._global.limit:
                after = self._global.reset_at - now
                self.refused.append((method, template, "global"))
                return Verdict(
                    {
                        "X-RateLimit-Global": "true",
                        "X-RateLimit-Scope": "global",
                        "Retry-After": str(max(1, int(after + 0.999))),
                    },
                    retry_after=round(after, 3),
                    is_global=True,
                    bucket="global",
                )
        key = (bucket_hash, major)
        limit, window = self._rule(method, template)
        bucket = self._buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = self._buckets[key] = _Bucket(limit, window, 0, now + window)
        after = max(0.0, bucket.reset_at - now)
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Bucket": bucket_hash,
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + after:.3f}",
        }
        if bucket.count >= limit:
            self.refused.append((method, template, bucket_hash))
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Scope": "user",
                    "Retry-After": str(max(1, int(after + 0.999))),
                }
            )
            return Verdict(headers, retry_after=round(after, 3), bucket=bucket_hash)
        bucket.count += 1
        if self._global is not None and not exempt_from_global:
            self._global.count += 1
        headers["X-RateLimit-Remaining"] = str(limit - bucket.count)
        if bucket.count == limit:
            self.exhausted.append((method, template))
        return Verdict(headers, bucket=bucket_hash)
