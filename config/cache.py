"""Django's Redis cache, minus a cost on every command."""

from django.core.cache.backends import redis


class ReusingClient(redis.RedisCacheClient):
    """Django builds a new redis.Redis object for every cache command, and redis-py copies its
    table of reply callbacks into each one: a fifth of a millisecond, twice per cached page.
    One client per connection pool is enough; it is safe to share between threads."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingClient
