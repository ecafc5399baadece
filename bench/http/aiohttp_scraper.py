"""The seed's web scraper (fetch_page with a Semaphore and one ClientSession), reading URLs from a file.

    python3 bench/http/aiohttp_scraper.py --urls FILE [--concurrency 64]

Prints one JSON line like the Node clients: {"ok": true, "workMs": ..., "maxRssKB": ...}; exits 1 if a
row is wrong. Without aiohttp it prints {"ok": true, "skipped": "..."} and exits 0.
"""
import argparse
import asyncio
import json
import resource
import sys
import time
from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote, urlsplit

STARTED = time.perf_counter()

try:
    import aiohttp
except ImportError:
    print(json.dumps({"ok": True, "skipped": "python3 has no aiohttp"}))
    sys.exit(0)


@dataclass
class PageResult:
    url: str
    status: int
    title: Optional[str]
    error: Optional[str]


async def fetch_page(session: aiohttp.ClientSession, url: str, semaphore: asyncio.Semaphore) -> PageResult:
    async with semaphore:
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
                html = await response.text()
                # Simple title parsing, as in the seed
                title = None
                if '<title>' in html:
                    start = html.find('<title>') + 7
                    end = html.find('</title>')
                    title = html[start:end].strip()
                return PageResult(url=url, status=response.status, title=title, error=None)
        except Exception as e:
            return PageResult(url=url, status=0, title=None, error=str(e))


async def scrape_urls(urls: list, max_concurrent: int) -> list:
    semaphore = asyncio.Semaphore(max_concurrent)
    async with aiohttp.ClientSession() as session:
        tasks = [fetch_page(session, url, semaphore) for url in urls]
        return await asyncio.gather(*tasks)


def fail(message: str) -> None:
    print(json.dumps({"ok": False, "error": message}))
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with open(args.urls, encoding="utf-8") as f:
        urls = [line.strip() for line in f if line.strip() and not line.strip().startswith("#")]

    work_started = time.perf_counter()
    results = asyncio.run(scrape_urls(urls, args.concurrency))
    work_ms = (time.perf_counter() - work_started) * 1000

    if len(results) != len(urls):
        fail(f"expected {len(urls)} rows, got {len(results)}")
    for i, (url, row) in enumerate(zip(urls, results)):
        expected = "Page " + unquote(urlsplit(url).path.split("/")[2])
        if row.url != url or row.status != 200 or row.title != expected:
            fail(f"row {i} is wrong: {row}")

    print(json.dumps({
        "ok": True,
        "peer": "aiohttp (seed)",
        "n": len(urls),
        "concurrency": args.concurrency,
        "verified": True,
        "workMs": round(work_ms, 2),
        "wallMs": round((time.perf_counter() - STARTED) * 1000, 2),
        "rpsInProcess": round(len(urls) / work_ms * 1000),
        "maxRssKB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
