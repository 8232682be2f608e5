import { relative } from 'node:path';
import { bundleSize, dashboardApp, ensureBuild, kilobytes, kioskApp } from './web-build.js';

/** `npm run build` / `npm start`: builds the kiosk and the dashboard when their sources changed. */
for (const app of [kioskApp, dashboardApp]) {
  const build = ensureBuild(app);
  const size = bundleSize(app.distDir);
  console.log(
    build.built ? `${app.name} web app built in ${build.ms} ms` : `${app.name} web app is up to date`,
    `(JS ${kilobytes(size.jsGzip)} + CSS ${kilobytes(size.cssGzip)} gzipped) → ${relative(process.cwd(), build.dir)}`,
  );
}
