// The studio's 3D view: three.js's Face Cap head (facecap.glb, "Face Cap by Bannaflak", MIT via three.js),
// its 52 ARKit morph targets driven by name from the same 61 values the 2D rig draws.
// three.js is vendored into the package (static/vendor, refreshed by scripts/vendor_three.sh); nothing comes from a CDN.
import * as THREE from "three";
import { GLTFLoader } from "/static/vendor/three/examples/jsm/loaders/GLTFLoader.js";
import { KTX2Loader } from "/static/vendor/three/examples/jsm/loaders/KTX2Loader.js";
import { MeshoptDecoder } from "/static/vendor/three/examples/jsm/libs/meshopt_decoder.module.js";

// Live Link name -> Face Cap name: lower-case first letter, Left/Right sides as _L/_R
// (JawLeft, MouthLeft ... are directions, not sides, and keep their names).
function faceCapName(name) {
  const lower = name[0].toLowerCase() + name.slice(1);
  if (/^(jaw|mouth)(Left|Right)$/.test(lower)) return lower;
  return lower.replace(/Left$/, "_L").replace(/Right$/, "_R");
}

export async function createHead(canvas, channels) {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(1);
  renderer.setSize(canvas.width, canvas.height, false);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xeeeeee);
  const camera = new THREE.PerspectiveCamera(30, canvas.width / canvas.height, 0.1, 100);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x666666, 2.2));
  const key = new THREE.DirectionalLight(0xffffff, 1.5);
  key.position.set(1, 2, 3);
  scene.add(key);

  const ktx2 = new KTX2Loader().setTranscoderPath("/static/vendor/three/examples/jsm/libs/basis/").detectSupport(renderer);
  const loader = new GLTFLoader().setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);
  const gltf = await loader.loadAsync("/assets/facecap.glb");
  const root = gltf.scene;
  scene.add(root);
  const head = root.getObjectByName("mesh_2") || root.getObjectByName("head");
  let face = null;
  head.traverse((o) => { if (o.morphTargetDictionary && !face) face = o; });
  const transform = root.getObjectByName("grp_transform") || root;
  const eyes = [root.getObjectByName("eyeLeft"), root.getObjectByName("eyeRight")];

  const box = new THREE.Box3().setFromObject(root);
  const centre = box.getCenter(new THREE.Vector3());
  const size = box.getSize(new THREE.Vector3());
  camera.position.set(centre.x, centre.y, centre.z + size.y * 2.2);
  camera.lookAt(centre);

  const index = {};
  channels.forEach((name, j) => { index[name] = j; });
  const targets = []; // [channel index, morph index]
  for (const name of channels.slice(0, 52)) {
    const m = face.morphTargetDictionary[faceCapName(name)];
    if (m !== undefined) targets.push([index[name], m]);
  }

  function pose(values) {
    for (const [j, m] of targets) face.morphTargetInfluences[m] = values[j];
    // Our signs: yaw + toward the subject's right, pitch + up, roll + toward the right shoulder.
    // The head faces +z (the camera); three.js is right-handed, y up.
    transform.rotation.set(-values[index.HeadPitch], -values[index.HeadYaw], values[index.HeadRoll]);
    const eyeAngles = [[index.LeftEyePitch, index.LeftEyeYaw], [index.RightEyePitch, index.RightEyeYaw]];
    eyes.forEach((eye, k) => {
      if (eye) eye.rotation.set(-values[eyeAngles[k][0]], -values[eyeAngles[k][1]], 0);
    });
    renderer.render(scene, camera);
  }
  pose(new Array(channels.length).fill(0));
  return { pose, morphs: targets.length };
}
