// Seed: "Dynamic number of tasks". The list is only known at run time: build one job per item and
// hand gather the array (no spread needed). A stand-in API answers after a short random delay.
import { gather, sleep } from 'gather';
import { ms } from './_scale.js';

interface User {
  login: string;
  public_repos: number;
}

const fakeApi: Record<string, number> = { octocat: 8, torvalds: 9, gvanrossum: 24, kennethreitz: 42 };

async function fetchUser(username: string, signal: AbortSignal): Promise<User> {
  await sleep(ms(0.1 + Math.random() * 0.2), undefined, { signal });
  return { login: username, public_repos: fakeApi[username] ?? 0 };
}

async function fetchAllUsers(usernames: string[]): Promise<User[]> {
  return gather(usernames.map((name) => (signal: AbortSignal) => fetchUser(name, signal)));
}

const usernames = ['octocat', 'torvalds', 'gvanrossum', 'kennethreitz'];
const users = await fetchAllUsers(usernames);
for (const user of users) console.log(`${user.login}: ${user.public_repos} repositories`);
