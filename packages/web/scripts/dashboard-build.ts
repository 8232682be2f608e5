import { bundleSize, dashboardApp, ensureBuild, type BundleSize, type WebBuild } from './web-build.js';

/** The admin dashboard's build (see web-build.ts), served by the server at /dashboard/. */
export const dashboardDistDir = dashboardApp.distDir;
export const ensureDashboardBuild = (): WebBuild => ensureBuild(dashboardApp);
export const dashboardBundleSize = (dir = dashboardDistDir): BundleSize => bundleSize(dir);
