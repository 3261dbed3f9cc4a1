// Browser tests drive Debian's Chromium. Install it when missing and we are root on Debian; never download a
// browser from a test tool.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`[ensure-browser] ${path} missing: installing Debian's chromium package`);
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
      stdio: 'inherit',
    });
  } else {
    console.error(
      `[ensure-browser] ${path} is missing. Install Debian's "chromium" package (or set CHROMIUM_PATH).`,
    );
    process.exit(1);
  }
}
